"""The "About your back" content: every section the issue names, each with its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core.bundled import ABOUT_YOUR_BACK_FILE
from player.core.guide import GuideError, Paragraph, Points, load_guide

#: The references the project's clinical notes (version 2) and bundled routines cite: a source
#: of the page must start with one of them (the part after a colon says what it supports).
KNOWN_REFERENCES = (
    "NICE NG59, Low back pain and sciatica in over 16s (2016, updated 2020)",
    "NICE CKS: Back pain - low (without radiculopathy)",
    "ACP guideline, Qaseem et al., Ann Intern Med 2017",
    "Cochrane review CD004750, French et al. 2006",
    "Finucane et al., JOSPT 2020",
    "Greenhalgh et al. 2018",
    "Heiderscheit et al., Med Sci Sports Exerc 2011",
    "Silbernagel et al., Am J Sports Med 2007",
    "NHS back pain pages",
    "NHS exercises for back pain",
    "NHS hospital leaflets on using ice and heat",
    "Physio-pedia: cryotherapy guidelines",
    "Patient guides for runners with lower-back pain",
)

#: The sections issue 15 (item 5) asks for, in order.
SECTIONS = ["form-and-posture", "cadence", "shoes-and-surfaces", "building-up",
            "cross-training", "sitting-breaks", "lifting-and-twisting", "ice-then-heat",
            "see-someone"]


def test_the_bundled_page_has_every_section_asked_for() -> None:
    guide = load_guide(ABOUT_YOUR_BACK_FILE)
    assert [s.id for s in guide.sections] == SECTIONS
    assert guide.title == "About your back"
    assert "not a diagnosis" in guide.intro


@pytest.mark.parametrize("section_id", SECTIONS)
def test_every_section_has_text_and_only_known_sources(section_id: str) -> None:
    section = load_guide(ABOUT_YOUR_BACK_FILE).section(section_id)
    assert section is not None and section.title and section.blocks
    assert section.sources, f"{section_id} has no source"
    for source in section.sources:
        assert source.startswith(KNOWN_REFERENCES), f"{section_id}: unknown source {source!r}"


def test_the_numbers_are_the_clinical_notes_ones() -> None:
    guide = load_guide(ABOUT_YOUR_BACK_FILE)

    def words(section_id: str) -> str:
        section = guide.section(section_id)
        assert section is not None
        return " ".join(b.text if isinstance(b, Paragraph) else " ".join(b.items)
                        for b in section.blocks)

    assert "5 to 10 % more" in words("cadence")  # Heiderscheit 2011: your own, not 170-180
    assert "every 30 minutes" in words("sitting-breaks")
    ice = words("ice-then-heat")
    assert "never more than 20" in ice and "at most 30" in ice and "40 minutes" in ice
    assert "at least 20 minutes between ice and heat" in ice
    see = guide.section("see-someone")
    assert see is not None and sum(isinstance(b, Points) for b in see.blocks) == 3


GOOD_SECTION = """\
  - id: one
    title: One
    text: [Some words.]
    sources: [NHS back pain pages]
"""


def write(tmp_path: Path, sections: str, fmt: str = "1") -> Path:
    path = tmp_path / "guide.yaml"
    path.write_text(f"format: {fmt}\ntitle: T\nintro: I\ncontents_heading: C\n"
                    f"sources_heading: S\nsections:\n{sections}", encoding="utf-8")
    return path


@pytest.mark.parametrize(("sections", "message"), [
    (GOOD_SECTION + "  - id: two\n    title: Two\n    text: [Words.]\n",
     "guide.yaml: section 2 (two): 'sources' must list at least one source"),
    (GOOD_SECTION + "  - id: two\n    title: Two\n    text: [Words.]\n    sources: []\n",
     "guide.yaml: section 2 (two): 'sources' must list at least one source"),
    (GOOD_SECTION + "  - id: two\n    title: Two\n    text: [Words.]\n    sources: ['  ']\n",
     "guide.yaml: section 2 (two): 'sources' must list at least one source"),
    ("  - id: one\n    text: [Words.]\n    sources: [NHS]\n",
     "guide.yaml: section 1 (one): 'title' must be a non-empty text"),
    ("  - id: one\n    title: One\n    text: [{points: []}]\n    sources: [NHS]\n",
     "guide.yaml: section 1 (one): 'text' must be a list of paragraphs"),
    (GOOD_SECTION + GOOD_SECTION, "guide.yaml: section 2: the id 'one' is used"),
    ("  - just a line\n", "guide.yaml: section 1: must be a mapping"),
    ("", "guide.yaml: 'sections' must be a non-empty list"),
])
def test_a_broken_guide_says_where_and_what(tmp_path: Path, sections: str, message: str) -> None:
    with pytest.raises(GuideError) as raised:
        load_guide(write(tmp_path, sections))
    assert str(raised.value).startswith(message)


def test_a_wrong_format_or_not_yaml_or_no_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match=r"guide.yaml: 'format' must be 1, not 2"):
        load_guide(write(tmp_path, GOOD_SECTION, fmt="2"))
    (tmp_path / "guide.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(GuideError, match=r"guide.yaml: is not valid YAML"):
        load_guide(tmp_path / "guide.yaml")
    with pytest.raises(GuideError, match=r"gone.yaml: cannot be read"):
        load_guide(tmp_path / "gone.yaml")
