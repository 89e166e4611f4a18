"""The instruction-count benchmark's arithmetic and its refusals (the counts themselves
need valgrind and minutes; .ci/run runs them)."""

import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, os.pardir, "benchmarks", "bench_instructions.py")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_instructions", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ratios_subtract_base_and_take_the_per_task_difference_between_sizes(bench):
    sides = ("base", "on", "off")
    counts = {
        2: {"base": (0, 1000), "on": (100, 1000 + 100 * 12), "off": (100, 1000 + 100 * 10)},
        6: {"base": (0, 1000), "on": (300, 1000 + 100 * 12 + 200 * 11), "off": (300, 1000 + 100 * 10 + 200 * 10)},
    }
    per_size, marginal = bench.ratios(counts, sides)
    assert per_size[2]["off"] == pytest.approx(1.2)
    assert per_size[6]["off"] == pytest.approx((1200 + 2200) / (1000 + 2000))
    # Between the sizes: 200 more tasks cost 2,200 on and 2,000 off.
    assert marginal == {"on": pytest.approx(11.0), "off": pytest.approx(10.0)}


def test_one_size_gives_no_per_task_difference(bench):
    counts = {4: {"base": (0, 10), "on": (5, 30), "off": (5, 20)}}
    per_size, marginal = bench.ratios(counts, ("base", "on", "off"))
    assert per_size[4]["off"] == pytest.approx(2.0)
    assert marginal == {}


@pytest.mark.parametrize("argv, words", [(["--locales", "two"], "argument --locales: must be whole numbers"), (["--repeat", "0"], "1 or more")])
def test_bad_arguments_exit_2_naming_them(bench, capsys, argv, words):
    with pytest.raises(SystemExit) as stop:
        bench.main(argv)
    assert stop.value.code == 2
    assert words in capsys.readouterr().err


def test_the_collected_line_is_read_from_callgrinds_log(bench):
    log = "==123== Events    : Ir\n==123== Collected : 3821208910\n==123==\n==123== I   refs:      3,821,208,910\n"
    assert int(bench.COLLECTED.search(log).group(1)) == 3_821_208_910
