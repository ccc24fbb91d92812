"""Reading an exercise's picture ourselves: bounded, from allowed folders only, drawings that stay put.

A routine file comes from someone else, and so do the pictures it names. A renderer handed a path
(or an SVG that links elsewhere) reads whatever the picture points at: files anywhere, ``/proc``,
devices, a FIFO that never answers. So the app reads every picture's bytes itself, here, and
hands the renderer only those bytes:

* only a file inside one of the allowed folders (the routine's folder, the bundled media), after
  resolving symlinks and ``..``; opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked to be an
  ordinary file before a byte is read, so pipes and devices never block;
* at most :data:`SVG_MAX_BYTES` (SVG) or :data:`RASTER_MAX_BYTES` (PNG, JPEG);
* SVG: well-formed UTF-8 XML with no DOCTYPE declarations, processing instructions, scripts,
  event handlers or embedded documents, and no reference that leaves the file (only same-file
  ``#fragment`` links and inline PNG/JPEG ``data:`` images); bounded in size and nesting;
* PNG and JPEG: the right magic bytes and a size in pixels, read from the header, of at most
  :data:`MAX_PIXELS`.

No Qt here: :mod:`player.core.loader` uses :func:`refusal` so ``validate`` reports a refused
picture at its line, and the window draws from :func:`read_picture`'s bytes.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import stat
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from xml.parsers import expat

from player.core import bundled

MB = 1024 * 1024
#: The largest SVG file read.
SVG_MAX_BYTES = 2 * MB
#: The largest PNG or JPEG file read.
RASTER_MAX_BYTES = 10 * MB
#: The most pixels (width × height) a PNG or JPEG, or an image inside an SVG, may have.
MAX_PIXELS = 40_000_000
#: The most XML elements in an SVG.
SVG_MAX_ELEMENTS = 10_000
#: The most elements an SVG may draw once its copies (``<use>``) are counted.
SVG_MAX_DRAWN = 20_000
#: The deepest nesting of elements in an SVG.
SVG_MAX_DEPTH = 100

# --- what the person is told (``{name}`` is the picture's file name) ---------------------------
NOT_FOUND = "the picture {name} is not there"
OUTSIDE = ("the picture {name} is outside the routine's folder and the bundled media; pictures "
           "are only read from there")
LINKED = ("the picture {name} is a link that points outside the routine's folder and the bundled "
          "media; pictures are only read from there")
NOT_A_FILE = "the picture {name} is {what}, not an ordinary file; a picture must be a file"
UNREADABLE = "the picture {name} cannot be read ({why})"
TOO_BIG = ("the picture {name} is {size}, more than the {cap} allowed for {kind} pictures; "
           "save it smaller")
NOT_RASTER = ("the picture {name} is not a PNG or JPEG image; save it again as PNG or JPEG "
              "from your drawing or photo program")
DAMAGED = "the picture {name} is damaged: its size in pixels cannot be read"
TOO_MANY_PIXELS = ("the picture {name} is {width} × {height} pixels, more than the {cap} "
                   "megapixels allowed; save it smaller (1600 × 1200 is plenty)")
SVG_BROKEN = ("the picture {name} is not a readable SVG file ({error}, line {line} of the SVG); "
              "save it again from your drawing program")
SVG_ENCODING = ("the picture {name} is not saved as UTF-8 (it says {encoding}); save it again as "
                "UTF-8")
SVG_NOT_SVG = "the picture {name} is not an SVG drawing (it starts with <{tag}>)"
SVG_EXTERNAL = ("the picture {name} links to another file (line {line} of the SVG); pictures "
                "must be self-contained")
SVG_DECLARATIONS = ("the picture {name} has its own DOCTYPE declarations (line {line} of the SVG), "
                    "which can make it expand hugely or read other files; save it again as "
                    "plain SVG")
SVG_ENTITY = ("the picture {name} uses an undefined entity &{entity}; (line {line} of the SVG); "
              "save it again as plain SVG")
SVG_INSTRUCTION = ("the picture {name} contains an instruction for other programs (<?{target}?>, "
                   "line {line} of the SVG); save it again as plain SVG")
SVG_SCRIPT = ("the picture {name} contains a script ({what}, line {line} of the SVG); pictures "
              "may only draw")
SVG_EMBEDDED = ("the picture {name} embeds other content (the <{tag}> element, line {line} of the "
                "SVG); pictures may only draw")
SVG_EMBEDDED_IMAGE = ("the picture {name} contains an embedded image that is not a readable PNG "
                      "or JPEG (line {line} of the SVG)")
SVG_EMBEDDED_PIXELS = ("the picture {name} contains an embedded image of {width} × {height} "
                       "pixels, more than the {cap} megapixels allowed (line {line} of the SVG)")
SVG_TOO_MANY = ("the picture {name} is too detailed to draw quickly (more than {cap} elements); "
                "simplify it or save it as PNG")
SVG_TOO_MANY_DRAWN = ("the picture {name} is too detailed to draw quickly (more than {cap} shapes "
                      "once its copies are drawn); simplify it or save it as PNG")
SVG_TOO_DEEP = ("the picture {name} nests groups more than {cap} deep (line {line} of the SVG); "
                "simplify it")
SVG_CYCLE = ("the picture {name} contains a copy of itself (line {line} of the SVG), which would "
             "never finish drawing")

_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN_FLAGS = (os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
_READ_CHUNK = 1 * MB
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers (those that carry the size): C0-CF except DHT, JPG and DAC.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Byte-order marks of UTF-16 and UTF-32 (a UTF-8 one is fine).
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
# Elements that run code or embed other documents; compared by local name, lower case.
_SCRIPT_ELEMENTS = frozenset({"script", "handler", "listener"})
_EMBEDDING_ELEMENTS = frozenset({"foreignobject", "iframe", "embed", "object"})
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg);base64,(.*)", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)\s*([^)'\"]*)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
_NAME_SHOWN = 60
_SVG_DEFAULT_SIZE = (100.0, 100.0)
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0}


class PictureKind(StrEnum):
    """What a picture file holds."""

    SVG = "svg"
    PNG = "png"
    JPEG = "jpeg"


@dataclass(frozen=True)
class PictureFile:
    """A picture read and checked: its bytes, what they are, and its size (pixels for PNG and
    JPEG; for SVG the drawing's own units, from its viewBox or width and height)."""

    path: Path
    kind: PictureKind
    data: bytes
    width: float
    height: float


class PictureRefused(Exception):
    """A picture that is not read or not drawn; ``message`` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_folders(routine_path: Path | None,
                    media_dir: Path = bundled.MEDIA_DIR) -> tuple[Path, ...]:
    """The folders a routine's pictures may come from: its own folder, then the bundled media."""
    folders = [Path(os.path.realpath(routine_path.parent))] if routine_path is not None else []
    media = Path(os.path.realpath(media_dir))
    if media not in folders:
        folders.append(media)
    return tuple(folders)


def refusal(path: Path, folders: Sequence[Path]) -> str | None:
    """Why the picture at ``path`` is refused, or None when it can be drawn."""
    try:
        read_picture(path, folders)
    except PictureRefused as refused:
        return refused.message
    return None


def read_picture(path: Path, folders: Sequence[Path]) -> PictureFile:
    """Read and check the picture at ``path``, which must lie inside one of ``folders``.

    Raises :class:`PictureRefused` with the reason when the file is outside those folders, not
    an ordinary file, too big, not the picture it claims to be, or an SVG that is not
    self-contained. Never blocks on a pipe or device, and never reads more than the cap.
    """
    name = _shown_name(path)
    real = Path(os.path.realpath(path))
    roots = [Path(os.path.realpath(f)) for f in folders]
    if not any(real.is_relative_to(root) for root in roots):
        lexists = os.path.lexists(path)
        raise PictureRefused((LINKED if lexists and real != Path(os.path.abspath(path))
                              else OUTSIDE).format(name=name))
    cap, kind_text = ((SVG_MAX_BYTES, "SVG") if path.suffix.lower() == ".svg"
                      else (RASTER_MAX_BYTES, "PNG and JPEG"))
    try:
        before = os.lstat(real)
    except FileNotFoundError:
        raise PictureRefused(NOT_FOUND.format(name=name)) from None
    except OSError as err:
        raise PictureRefused(UNREADABLE.format(name=name, why=_why(err))) from None
    _check_ordinary(before, name, cap, kind_text)
    data = _read_capped(real, roots, name, cap, kind_text)
    return _identify(real, name, data)


def check_svg(data: bytes, name: str = "") -> tuple[float, float]:
    """The drawing's size (width, height in its own units) when ``data`` is a self-contained SVG
    drawing; raises :class:`PictureRefused` otherwise. ``name`` is the file name in the message.

    The size comes from the viewBox, else the width and height, else it is 100 × 100 (as Qt
    takes it), so the drawing can be rendered at its own proportions without parsing it again.
    """
    return _SvgCheck(name or "(unnamed)").run(data)


def raster_size(data: bytes) -> tuple[PictureKind, int, int] | None:
    """``(kind, width, height)`` of a PNG or JPEG, read from its header; None when ``data`` is
    neither, or its size cannot be read."""
    if data.startswith(_PNG_MAGIC):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return (PictureKind.PNG, width, height) if width and height else None
    if data.startswith(_JPEG_MAGIC):
        size = _jpeg_size(data)
        return (PictureKind.JPEG, *size) if size else None
    return None


def is_raster(data: bytes) -> bool:
    """True when ``data`` starts like a PNG or a JPEG."""
    return data.startswith((_PNG_MAGIC, _JPEG_MAGIC))


# --- reading ------------------------------------------------------------------------------------

def _shown_name(path: Path) -> str:
    name = path.name or str(path)
    return name if len(name) <= _NAME_SHOWN else name[:_NAME_SHOWN - 1] + "\u2026"


def _why(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()


def _check_ordinary(st: os.stat_result, name: str, cap: int, kind_text: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        what = next((w for test, w in _FILE_KINDS if test(st.st_mode)), "a special file")
        raise PictureRefused(NOT_A_FILE.format(name=name, what=what))
    if st.st_size > cap:
        raise PictureRefused(TOO_BIG.format(name=name, size=_megabytes(st.st_size),
                                            cap=_megabytes(cap), kind=kind_text))


def _megabytes(size: int) -> str:
    value = size / MB
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def _read_capped(real: Path, roots: Sequence[Path], name: str, cap: int, kind_text: str) -> bytes:
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        raise PictureRefused(NOT_FOUND.format(name=name)) from None
    except OSError as err:
        if err.errno == getattr(os, "ELOOP", -1):  # swapped for a link since it was resolved
            raise PictureRefused(LINKED.format(name=name)) from None
        raise PictureRefused(UNREADABLE.format(name=name, why=_why(err))) from None
    try:
        _check_ordinary(os.fstat(fd), name, cap, kind_text)
        _check_opened_inside(fd, roots, name)
        chunks: list[bytes] = []
        total = 0
        while total <= cap:
            chunk = os.read(fd, min(_READ_CHUNK, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as err:
        raise PictureRefused(UNREADABLE.format(name=name, why=_why(err))) from None
    finally:
        os.close(fd)
    if total > cap:  # it grew while being read
        raise PictureRefused(TOO_BIG.format(name=name, size=f"over {_megabytes(cap)}",
                                            cap=_megabytes(cap), kind=kind_text))
    return b"".join(chunks)


def _check_opened_inside(fd: int, roots: Sequence[Path], name: str) -> None:
    """Where the kernel has it (Linux), make sure the file opened is the one resolved: a folder
    on the way swapped for a link between resolving and opening is caught here."""
    try:
        opened = Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return
    if opened.is_absolute() and not any(opened.is_relative_to(root) for root in roots):
        raise PictureRefused(LINKED.format(name=name))


def _identify(real: Path, name: str, data: bytes) -> PictureFile:
    if is_raster(data):
        size = raster_size(data)
        if size is None:
            raise PictureRefused(DAMAGED.format(name=name))
        kind, width, height = size
        if width * height > MAX_PIXELS:
            raise PictureRefused(TOO_MANY_PIXELS.format(
                name=name, width=width, height=height, cap=MAX_PIXELS // 1_000_000))
        return PictureFile(real, kind, data, width, height)
    if real.suffix.lower() != ".svg":
        raise PictureRefused(NOT_RASTER.format(name=name))
    svg_width, svg_height = check_svg(data, name)
    return PictureFile(real, PictureKind.SVG, data, svg_width, svg_height)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's start-of-frame segment, walking the segments before it."""
    i, end = 2, len(data)
    while i < end:
        if data[i] != 0xFF:
            return None
        while i < end and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= end:
            return None
        marker = data[i]
        i += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            continue
        if marker in (0xD8, 0xD9, 0xDA) or i + 2 > end:  # image data before any size
            return None
        length = (data[i] << 8) | data[i + 1]
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            if length < 7 or i + 7 > end:
                return None
            height, width = struct.unpack(">HH", data[i + 3:i + 7])
            return (width, height) if width and height else None
        i += length
    return None


# --- SVG ----------------------------------------------------------------------------------------

class _SvgCheck:
    """One pass of expat over an SVG, refusing at the first thing that is not plain drawing."""

    def __init__(self, name: str) -> None:
        self.name = name
        # ParserCreate's encoding overrides the document's: the bytes are read as UTF-8 whatever
        # they claim, and a claim of anything else is refused, so we and the renderer agree.
        self.parser = expat.ParserCreate(encoding="UTF-8")
        self.parser.buffer_text = True
        self.depth = 0
        self.open_tags: list[str] = []
        self.style_text: list[str] = []
        # For counting copies: each element's children and what it copies, by index.
        self.children: list[list[int]] = []
        self.copies: list[tuple[str, int]] = []  # (target id, line) per element, "" for none
        self.ids: dict[str, int] = {}
        self.stack: list[int] = []
        self.size = _SVG_DEFAULT_SIZE

    # ... refusals
    def refuse(self, template: str, **fields: object) -> PictureRefused:
        return PictureRefused(template.format(name=self.name, line=self.parser.CurrentLineNumber,
                                              **fields))

    def run(self, data: bytes) -> tuple[float, float]:
        if data.startswith(_WIDE_BOMS):
            raise PictureRefused(SVG_ENCODING.format(name=self.name, encoding="UTF-16"))
        p = self.parser
        p.XmlDeclHandler = self.xml_decl
        p.StartDoctypeDeclHandler = self.doctype
        p.EntityDeclHandler = self.entity_decl
        p.SkippedEntityHandler = self.skipped_entity
        p.ExternalEntityRefHandler = self.external_entity
        p.ProcessingInstructionHandler = self.instruction
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text
        try:
            p.Parse(data, True)
        except expat.ExpatError as err:
            raise PictureRefused(SVG_BROKEN.format(
                name=self.name, error=expat.ErrorString(err.code), line=err.lineno)) from None
        self.count_drawn()
        return self.size

    def xml_decl(self, version: str | None, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() not in _UTF8_NAMES:
            raise self.refuse(SVG_ENCODING, encoding=_short(encoding))

    def doctype(self, name: str, system_id: str | None, public_id: str | None,
                has_internal_subset: int) -> None:
        # A bare DOCTYPE naming the SVG DTD (as older editors write) is harmless: neither expat
        # nor the renderer fetches it. Declarations inside [...] (entities, attribute defaults)
        # are refused before they are read.
        if has_internal_subset:
            raise self.refuse(SVG_DECLARATIONS)

    def entity_decl(self, *args: object) -> None:
        raise self.refuse(SVG_DECLARATIONS)

    def skipped_entity(self, entity: str, is_parameter: int) -> None:
        raise self.refuse(SVG_ENTITY, entity=_short(entity))

    def external_entity(self, *args: object) -> int:
        raise self.refuse(SVG_EXTERNAL)

    def instruction(self, target: str, data: str) -> None:
        raise self.refuse(SVG_INSTRUCTION, target=_short(target))

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        index = len(self.children)
        if index >= SVG_MAX_ELEMENTS:
            raise self.refuse(SVG_TOO_MANY, cap=SVG_MAX_ELEMENTS)
        local = _local(tag)
        if index == 0:
            if local != "svg":
                raise self.refuse(SVG_NOT_SVG, tag=_short(tag))
            self.size = _svg_size(attrs)
        self.depth += 1
        if self.depth > SVG_MAX_DEPTH:
            raise self.refuse(SVG_TOO_DEEP, cap=SVG_MAX_DEPTH)
        if local in _SCRIPT_ELEMENTS:
            raise self.refuse(SVG_SCRIPT, what=f"a <{_short(tag)}> element")
        if local in _EMBEDDING_ELEMENTS:
            raise self.refuse(SVG_EMBEDDED, tag=_short(tag))
        copy = ""
        for attr, value in attrs.items():
            attr_local = _local(attr)
            if attr_local.startswith("on"):
                raise self.refuse(SVG_SCRIPT, what=f"the {_short(attr)} attribute")
            if attr_local == "href":
                target = self.check_href(value)
                if local == "use":
                    copy = target
            elif attr_local == "style":
                self.check_css(value)
            elif "url" in value.lower():
                self.check_css_urls(value)
            if attr_local == "id":
                self.ids[value] = index
        if self.stack:
            self.children[self.stack[-1]].append(index)
        self.children.append([])
        self.copies.append((copy, self.parser.CurrentLineNumber))
        self.stack.append(index)
        self.open_tags.append(local)
        if local == "style":
            self.style_text = []

    def end(self, tag: str) -> None:
        local = self.open_tags.pop()
        self.stack.pop()
        self.depth -= 1
        if local == "style":
            self.check_css("".join(self.style_text))

    def text(self, data: str) -> None:
        if self.open_tags and self.open_tags[-1] == "style":
            self.style_text.append(data)

    def check_href(self, value: str) -> str:
        """The same-file id ``value`` points at ("" for an inline image); refuses the rest."""
        value = value.strip()
        if value.startswith("#"):
            return value[1:]
        inline = _DATA_IMAGE.fullmatch(value)
        if inline is None:
            raise self.refuse(SVG_EXTERNAL)
        try:
            payload = base64.b64decode(re.sub(r"\s+", "", inline.group(1)), validate=True)
        except (binascii.Error, ValueError):
            raise self.refuse(SVG_EMBEDDED_IMAGE) from None
        size = raster_size(payload)
        if size is None:
            raise self.refuse(SVG_EMBEDDED_IMAGE)
        _, width, height = size
        if width * height > MAX_PIXELS:
            raise self.refuse(SVG_EMBEDDED_PIXELS, width=width, height=height,
                              cap=MAX_PIXELS // 1_000_000)
        return ""

    def check_css(self, css: str) -> None:
        if _CSS_IMPORT.search(css):
            raise self.refuse(SVG_EXTERNAL)
        self.check_css_urls(css)

    def check_css_urls(self, text: str) -> None:
        for match in _CSS_URL.finditer(text):
            if not match.group(2).strip().startswith("#"):
                raise self.refuse(SVG_EXTERNAL)

    def count_drawn(self) -> None:
        """Refuse copies (``<use>``) of an element that contains the copy itself, and copies of
        copies that multiply into more than :data:`SVG_MAX_DRAWN` shapes."""
        n = len(self.children)
        deps: list[list[int]] = []
        for i in range(n):
            target = self.ids.get(self.copies[i][0]) if self.copies[i][0] else None
            deps.append(self.children[i] + ([target] if target is not None else []))
        cost = [0] * n
        state = [0] * n  # 0 not seen, 1 being counted, 2 counted
        for start in range(n):
            if state[start]:
                continue
            todo: list[tuple[int, bool]] = [(start, False)]
            while todo:
                i, finished = todo.pop()
                if finished:
                    cost[i] = min(SVG_MAX_DRAWN + 1, 1 + sum(cost[d] for d in deps[i]))
                    state[i] = 2
                    continue
                if state[i]:
                    continue
                state[i] = 1
                todo.append((i, True))
                for d in deps[i]:
                    if state[d] == 1:
                        line = self.copies[i][1]
                        raise PictureRefused(SVG_CYCLE.format(name=self.name, line=line))
                    if state[d] == 0:
                        todo.append((d, False))
        if n and cost[0] > SVG_MAX_DRAWN:
            raise PictureRefused(SVG_TOO_MANY_DRAWN.format(name=self.name, cap=SVG_MAX_DRAWN))


def _svg_size(attrs: dict[str, str]) -> tuple[float, float]:
    """The root element's size: its viewBox's, else its width and height (in one unit)."""
    box = [_number(v) for v in re.split(r"[\s,]+", attrs.get("viewBox", "").strip())]
    if len(box) == 4 and box[2] and box[3]:
        return box[2], box[3]
    width, height = _length(attrs.get("width", "")), _length(attrs.get("height", ""))
    return (width, height) if width and height else _SVG_DEFAULT_SIZE


def _number(text: str) -> float:
    """A positive finite number, or 0.0."""
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def _length(text: str) -> float:
    """An SVG length in CSS pixels (``12``, ``12px``, ``3cm`` ...), or 0.0 (``100%``, junk)."""
    match = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([a-z]*)\s*", text)
    if match is None or match.group(2) not in _UNITS:
        return 0.0
    return _number(match.group(1)) * _UNITS[match.group(2)]


def _local(name: str) -> str:
    """An XML name without its prefix, in lower case (``xlink:href`` -> ``href``)."""
    return name.rpartition(":")[2].lower()


def _short(text: str, limit: int = 40) -> str:
    """File text quoted in a message: printable and short."""
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return clean if len(clean) <= limit else clean[:limit - 1] + "\u2026"
