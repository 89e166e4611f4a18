"""The docs say what the comm host's adoption needed (issue 17's Docs defects): the lines
``adopt.py`` applies are the ones docs/adopting.rst shows, the register call comes with its
import, products are not only for push, and en-US kept by ``limit-locales`` is said in
prose, not only in a comment of a code block."""

import os

from docutils import nodes
from docutils.core import publish_doctree

from .adopt import IMPORT_LINE, LOADER_LINE, REGISTER_LINE, TRANSFORMS_LINE

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs")
#: What adopt.py adds to its lines so that a diff of the host shows them.
MARK = "  # staging"


def doctree(name):
    with open(os.path.join(DOCS, name)) as fh:
        # Sphinx's own roles and directives are unknown to plain docutils: silence what it says of them
        return publish_doctree(fh.read(), settings_overrides={"report_level": 5, "halt_level": 5})


def paragraphs(name):
    """The page's paragraphs (list items' too; code blocks and their comments are no paragraph), whitespace folded."""
    return [" ".join(p.astext().split()) for p in doctree(name).findall(nodes.paragraph)]


def code_lines(block):
    return [line.strip() for line in block.astext().splitlines()]


def test_the_register_block_shows_the_import_with_the_call():
    (block,) = [b for b in doctree("adopting.rst").findall(nodes.literal_block) if "def register(graph_config):" in b.astext()]
    assert {IMPORT_LINE.replace(MARK, "").strip(), REGISTER_LINE.replace(MARK, "").strip()} <= set(code_lines(block))


def test_the_kind_lines_adopt_applies_are_documented():
    documented = {line for block in doctree("adopting.rst").findall(nodes.literal_block) for line in code_lines(block)}
    assert {LOADER_LINE, TRANSFORMS_LINE.strip()} <= documented


def test_products_are_described_for_plan_and_the_build_phase_not_only_push():
    (step,) = [p for p in paragraphs("adopting.rst") if p.startswith("Describe your products")]
    assert "the products plan --product accepts and the build phase builds" in step
    assert "Without staging-release.products the products are those of your release-promotion flavors" in step


def test_limit_locales_keeping_en_us_is_said_in_prose():
    (push,) = [p for p in paragraphs("starting.rst") if "trims the locales file to staging-release.limit-locales" in p]
    assert "en-US is implied: it stays in a locales file that lists it" in push
