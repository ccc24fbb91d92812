"""The advice pages' content: a guide read from its YAML file, every section with its sources.

The bundled "About your back" page is :data:`player.core.bundled.ABOUT_YOUR_BACK_FILE`. Its file
holds every word the page shows (for translation), as plain text: the window escapes it. A
guide file is checked as it is read: every section needs an id, a title, some text and at least
one source, and a problem is a :class:`GuideError` that names the file, the section and what
is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: The format version of guide files this app reads.
GUIDE_FORMAT = 1

# Messages (``{where}`` is the file, or the file and the section).
NOT_READ = "{where}: cannot be read ({detail})"
NOT_YAML = "{where}: is not valid YAML ({detail})"
WRONG_FORMAT = "{where}: 'format' must be {expected}, not {found!r}"
MISSING_TEXT = "{where}: '{key}' must be a non-empty text"
NO_SECTIONS = "{where}: 'sections' must be a non-empty list"
NOT_A_MAPPING = "{where}: must be a mapping of keys to values"
NO_SOURCES = "{where}: 'sources' must list at least one source, each a non-empty text"
BAD_TEXT = ("{where}: 'text' must be a list of paragraphs (texts) and bullet lists "
            "('points:' with a list of texts)")
DUPLICATE_ID = "{where}: the id {id!r} is used by an earlier section"


class GuideError(ValueError):
    """A guide file that cannot be shown, with where and what."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Points:
    """A bulleted list, one plain-text item a point."""

    items: tuple[str, ...]


Block = Paragraph | Points


@dataclass(frozen=True)
class GuideSection:
    """One section: ``id`` (for links to it), ``title``, its ``blocks`` and its ``sources``."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Guide:
    """A page of advice: title, introduction, the page's own headings, the sections."""

    title: str
    intro: str
    contents_heading: str
    sources_heading: str
    sections: tuple[GuideSection, ...]

    def section(self, section_id: str) -> GuideSection | None:
        """The section with ``section_id``, None when there is none."""
        return next((s for s in self.sections if s.id == section_id), None)


def load_guide(path: Path) -> Guide:
    """Read and check the guide in ``path``; raises :class:`GuideError`."""
    where = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideError(NOT_READ.format(where=where, detail=exc)) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GuideError(NOT_YAML.format(where=where, detail=exc)) from exc
    return parse_guide(data, where)


def parse_guide(data: Any, where: str) -> Guide:
    """The guide in ``data`` (what ``yaml.safe_load`` gave for the file named ``where``)."""
    top = _mapping(data, where)
    if top.get("format") != GUIDE_FORMAT:
        raise GuideError(WRONG_FORMAT.format(where=where, expected=GUIDE_FORMAT,
                                             found=top.get("format")))
    raw_sections = top.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise GuideError(NO_SECTIONS.format(where=where))
    sections: list[GuideSection] = []
    for number, raw in enumerate(raw_sections, 1):
        section = _section(raw, f"{where}: section {number}")
        if any(s.id == section.id for s in sections):
            raise GuideError(DUPLICATE_ID.format(where=f"{where}: section {number}",
                                                 id=section.id))
        sections.append(section)
    return Guide(_text(top, "title", where), _text(top, "intro", where),
                 _text(top, "contents_heading", where), _text(top, "sources_heading", where),
                 tuple(sections))


def _section(raw: Any, where: str) -> GuideSection:
    data = _mapping(raw, where)
    section_id = _text(data, "id", where)
    where = f"{where} ({section_id})"
    title = _text(data, "title", where)
    blocks = data.get("text")
    if not isinstance(blocks, list) or not blocks:
        raise GuideError(BAD_TEXT.format(where=where))
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources or not all(_is_text(s) for s in sources):
        raise GuideError(NO_SOURCES.format(where=where))
    return GuideSection(section_id, title, tuple(_block(b, where) for b in blocks),
                        tuple(s.strip() for s in sources))


def _block(raw: Any, where: str) -> Block:
    if _is_text(raw):
        return Paragraph(raw.strip())
    if isinstance(raw, dict) and set(raw) == {"points"}:
        items = raw["points"]
        if isinstance(items, list) and items and all(_is_text(i) for i in items):
            return Points(tuple(i.strip() for i in items))
    raise GuideError(BAD_TEXT.format(where=where))


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise GuideError(NOT_A_MAPPING.format(where=where))
    return raw


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not _is_text(value):
        raise GuideError(MISSING_TEXT.format(where=where, key=key))
    assert isinstance(value, str)
    return value.strip()


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
