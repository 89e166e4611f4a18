"""Command-line values the benchmarks share."""

import argparse


def whole_numbers(text):
    """``"1,2,4"`` -> ``[1, 2, 4]``: an argparse ``type`` (a bad value exits 2 naming the option)."""
    try:
        numbers = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be whole numbers separated by commas, not {text!r}")
    if min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text!r}")
    return numbers
