"""Format 1.1's ``easier_routine``: a routine file in the same folder, resolved for the player,
refused outside the folder or pointing at itself, warned when not there, refused under 1.0."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from player.core.loader import Library, load_library, load_routine

TODAY = dt.date(2026, 11, 21)
MAIN = """\
format: 1.1
title: Main
easier_routine: {link}
blocks:
  - name: M
    steps:
      - rest: 5s
"""
EASY = MAIN.replace("easier_routine: {link}\n", "").replace("Main", "Easy")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def check(folder: Path, link: str, library: Library, text: str = MAIN):  # type: ignore[no-untyped-def]
    path = folder / "main.yaml"
    path.write_text(text.format(link=link), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    return result.routine, [f"{p.line}:{p.col}: {p.severity.value}: {p.describe()}"
                            for p in result.problems]


def test_the_easier_routine_is_resolved_in_the_folder(tmp_path, library):
    (tmp_path / "days").mkdir()
    (tmp_path / "days" / "easy.yaml").write_text(EASY, encoding="utf-8")
    routine, problems = check(tmp_path, "days/easy.yaml", library)
    assert problems == [] and routine is not None
    assert routine.easier_routine == (tmp_path / "days" / "easy.yaml").resolve()


@pytest.mark.parametrize(("link", "message"), [
    ("../easy.yaml", "3:17: error: easier_routine: easier routine `../easy.yaml` must be a file "
                     "in this routine's folder (or a folder inside it), written relative to it "
                     "(`..` is not allowed)"),
    ("/tmp/easy.yaml", "3:17: error: easier_routine: easier routine `/tmp/easy.yaml` must be a "
                       "file in this routine's folder (or a folder inside it), written relative "
                       "to it (absolute paths are not read)"),
    ("main.yaml", "3:17: error: easier_routine: easier routine `main.yaml` is this file itself; "
                  "name another routine file"),
    ("easy.txt", "3:17: error: easier_routine: must be a routine file ending in .yaml, .yml; "
                 "found easy.txt"),
    ("gone.yaml", "3:17: warning: easier_routine: easier routine `gone.yaml` is not in this "
                  "routine's folder; \"This hurts\" and the preview will not offer it until it "
                  "is"),
])
def test_a_wrong_link_is_said_at_it(tmp_path, library, link, message):
    routine, problems = check(tmp_path, link, library)
    assert problems == [message]
    assert (routine is not None) == (": warning:" in message)


def test_a_link_out_of_the_folder_is_refused(tmp_path, library):
    outside = tmp_path / "outside.yaml"
    outside.write_text(EASY, encoding="utf-8")
    folder = tmp_path / "routine"
    folder.mkdir()
    os.symlink(outside, folder / "easy.yaml")
    _, problems = check(folder, "easy.yaml", library)
    assert problems == ["3:17: error: easier_routine: easier routine `easy.yaml` must be a file "
                        "in this routine's folder (or a folder inside it), written relative to "
                        "it (it is a link that points outside)"]


def test_a_wrong_link_shows_beside_other_errors(tmp_path, library):
    text = MAIN.replace("      - rest: 5s", "      - rest: soon")
    _, problems = check(tmp_path, "../easy.yaml", library, text)
    assert [p.split(": ")[0] for p in problems] == ["3:17", "7:15"]


def test_easier_routine_under_format_10_says_to_write_11(tmp_path, library):
    (tmp_path / "easy.yaml").write_text(EASY, encoding="utf-8")
    _, problems = check(tmp_path, "easy.yaml", library, MAIN.replace("format: 1.1", "format: 1"))
    assert problems == ["3:1: error: easier_routine: `easier_routine` is new in format 1.1, but "
                        "this file says `format: 1`; write `format: 1.1` at the top of the file "
                        "to use it"]


def test_the_docs_example_links_the_bundled_flare_up_day(tmp_path, library):
    import re
    import shutil

    from player.core import bundled

    doc = (Path(__file__).resolve().parents[3] / "docs" / "routine-format.md").read_text(
        encoding="utf-8")
    example = re.search(r"<!-- how-easier-routine -->\s*```yaml\n(.*?)^```", doc, re.S | re.M)
    assert example
    flare = next(p for p in bundled.bundled_routines() if p.name == "flare-up-day.yaml")
    shutil.copy(flare, tmp_path / "flare-up-day.yaml")
    path = tmp_path / "main.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    result = load_routine(path, library, today=TODAY)
    assert result.problems == () and result.routine is not None
    assert result.routine.easier_routine == (tmp_path / "flare-up-day.yaml").resolve()
    assert load_routine(result.routine.easier_routine, library, today=TODAY).errors == ()
