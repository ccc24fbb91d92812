"""Picture files for tests, made in code: small real PNGs, JPEG headers, hostile SVGs.

Every hostile SVG here is one a routine file could name; ``HOSTILE_SVGS`` maps a name to the
file's text and the start of the reason it must be refused for.
"""

from __future__ import annotations

import base64
import os
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
           'viewBox="0 0 400 300">'


def png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A real, decodable RGB PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width
    return png_header(width, height, idat=zlib.compress(row * height))


def png_header(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose header says ``width`` × ``height`` (the image data may be missing)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + (chunk(b"IDAT", idat) if idat else b"")
            + chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a baseline JPEG (SOI, a JFIF APP0, SOF0) saying ``width`` × ``height``."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0
            + b"\xff\xc0" + struct.pack(">H", len(sof0) + 2) + sof0 + b"\xff\xd9")


def svg(body: str, head: str = "") -> str:
    """An SVG drawing: ``head`` (an XML declaration, a DOCTYPE) then ``body`` inside <svg>."""
    return f"{head}{SVG_OPEN}\n{body}\n</svg>\n"


def data_url(kind: str, payload: bytes) -> str:
    """A ``data:`` URL of ``payload``, base64-encoded."""
    return f"data:{kind};base64,{base64.b64encode(payload).decode()}"


GOOD_SVG = svg('<rect x="10" y="10" width="380" height="280" fill="#f6f4ee"/>\n'
               '<circle cx="200" cy="150" r="80" fill="#2b2d42"/>')

BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY lol "lol">\n'
                  + "".join(f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">\n'
                            if i > 1 else ' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">\n'
                            for i in range(1, 10))
                  + "]>\n" + SVG_OPEN + "<text>&lol9;</text></svg>\n")

EXTERNAL = "links to another file"

#: name -> (SVG text, expected start of the refusal after "the picture NAME ").
HOSTILE_SVGS: dict[str, tuple[str, str]] = {
    "image-absolute": (svg('<g>\n<image href="/etc/passwd" width="10" height="10"/>\n</g>'),
                       EXTERNAL + " (line 3 of the SVG)"),
    "image-xlink-file-url": (svg('<image xlink:href="file:///etc/hostname"/>'), EXTERNAL),
    "image-dotdot": (svg('<image xlink:href="../../secret.png"/>'), EXTERNAL),
    "image-relative": (svg('<image href="other.png"/>'), EXTERNAL),
    "image-proc-environ": (svg('<image href="/proc/self/environ"/>'), EXTERNAL),
    "image-device": (svg('<image href="/dev/zero"/>'), EXTERNAL),
    "image-fifo": (svg('<image href="pipe.png"/>'), EXTERNAL),
    "image-web": (svg('<image href="https://example.com/x.png"/>'), EXTERNAL),
    "image-padded": (svg('<image href="  /etc/passwd"/>'), EXTERNAL),
    "image-other-prefix": (svg('<image xmlns:l="http://www.w3.org/1999/xlink" '
                               'l:href="/etc/passwd"/>'), EXTERNAL),
    "image-svg-data": (svg('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>'), EXTERNAL),
    "use-other-file": (svg('<use href="other.svg#figure"/>'), EXTERNAL),
    "link-javascript": (svg('<a href="javascript:alert(1)"><rect width="9" height="9"/></a>'),
                        EXTERNAL),
    "style-url": (svg('<rect width="9" height="9" style="fill:url(file:///etc/passwd)"/>'),
                  EXTERNAL),
    "fill-url": (svg('<rect width="9" height="9" fill="url(http://example.com/p.svg#p)"/>'),
                 EXTERNAL),
    "style-import": (svg('<style>@import "theme.css"; rect { fill: red }</style>'), EXTERNAL),
    "style-cdata-url": (svg('<style><![CDATA[ rect { fill: url("/etc/x.svg#g") } ]]></style>'),
                        EXTERNAL),
    "billion-laughs": (BILLION_LAUGHS, "has its own DOCTYPE declarations (line 2 of the SVG)"),
    "external-entity": ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                        + SVG_OPEN + "<text>&x;</text></svg>", "has its own DOCTYPE declarations"),
    "attribute-defaults": ('<!DOCTYPE svg [<!ATTLIST image href CDATA "/etc/passwd">]>\n'
                           + SVG_OPEN + "<image/></svg>", "has its own DOCTYPE declarations"),
    "undefined-entity": ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
                         + SVG_OPEN + "<text>&secret;</text></svg>",
                         "uses an undefined entity &secret;"),
    "stylesheet-instruction": (svg("", head='<?xml-stylesheet type="text/css" href="/etc/x"?>\n'),
                               "contains an instruction for other programs (<?xml-stylesheet?>"),
    "script": (svg('<script>alert(document.cookie)</script>'),
               "contains a script (a <script> element, line 2 of the SVG)"),
    "onload": (svg('<rect width="9" height="9" onload="alert(1)"/>'),
               "contains a script (the onload attribute"),
    "onclick-link": (svg('<a xlink:href="#top" onclick="evil()"><rect/></a>'),
                     "contains a script (the onclick attribute"),
    "handler": (svg('<handler type="application/ecmascript">x()</handler>'), "contains a script"),
    "foreign-object": (svg('<foreignObject><iframe src="file:///etc/passwd"/></foreignObject>'),
                       "embeds other content (the <foreignObject> element"),
    "iframe": (svg('<iframe src="/etc/passwd"/>'), "embeds other content (the <iframe> element"),
    "latin1": ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + svg(""),
               "is not saved as UTF-8 (it says ISO-8859-1)"),
    "not-well-formed": (svg('<rect width="9" height="9">\n<g></rect>'),
                        "is not a readable SVG file (mismatched tag, line 3 of the SVG)"),
    "empty": ("", "is not a readable SVG file (no element found"),
    "html": ("<html><body><img src='/etc/passwd'></body></html>",
             "is not an SVG drawing (it starts with <html>)"),
    "too-deep": (svg("<g>" * 150 + "</g>" * 150), "nests groups more than 100 deep"),
    "too-many": (svg('<rect width="1" height="1"/>' * 10_001),
                 "is too detailed to draw quickly (more than 10000 elements)"),
    "use-cycle": (svg('<g id="a"><rect width="9" height="9"/><use href="#a"/></g>'),
                  "contains a copy of itself (line 2 of the SVG)"),
    "use-mutual-cycle": (svg('<defs><g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/>'
                             '</g></defs><use href="#a"/>'), "contains a copy of itself"),
    "use-bomb": (svg('<defs><g id="l0"><rect width="1" height="1"/></g>'
                     + "".join(f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>"
                               for i in range(1, 8)) + '</defs><use href="#l7"/>'),
                 "is too detailed to draw quickly (more than 20000 shapes once its copies"),
    "embedded-garbage": (svg(f'<image href="{data_url("image/png", b"not a png at all")}"/>'),
                         "contains an embedded image that is not a readable PNG or JPEG"),
    "embedded-bad-base64": (svg('<image href="data:image/png;base64,%%%"/>'),
                            "contains an embedded image that is not a readable PNG or JPEG"),
    "embedded-huge": (svg(f'<image href="{data_url("image/png", png_header(50_000, 50_000))}"/>'),
                      "contains an embedded image of 50000 × 50000 pixels, more than the 40 "
                      "megapixels allowed"),
}


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``, failing the test (instead of hanging it) when it takes over ``seconds``."""
    outcome: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the test below
            error.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AssertionError(f"still running after {seconds} s (it blocks)")
    if error:
        raise error[0]
    return outcome[0]


def hostile_routine(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    """A routine whose pictures point everywhere they should not (it loads, with warnings), the
    folder outside holding what they point at, and picture paths the loader refuses outright
    (links out, ``..``), for the window to refuse too."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png())
    (outside / "secret.svg").write_text(GOOD_SVG)
    folder = tmp_path / "routine"
    folder.mkdir()
    os.mkfifo(folder / "pipe.png")
    targets = [outside / "secret.png", f"file://{outside}/secret.png", "../outside/secret.png",
               "/proc/self/environ", "/dev/zero", str(folder / "pipe.png"), "pipe.png",
               "/etc/passwd"]
    pictures_named = {}
    for i, target in enumerate(targets):
        (folder / f"image{i}.svg").write_text(svg(f'<image width="40" height="30" href="{target}"/>'))
        pictures_named[f"image{i}"] = f"image{i}.svg"
    (folder / "bomb.svg").write_text(HOSTILE_SVGS["billion-laughs"][0])
    (folder / "style.svg").write_text(svg(f"<style>@import url({outside}/secret.svg);</style>"))
    pictures_named.update(fifo="pipe.png", bomb="bomb.svg", style="style.svg")
    exercises = "".join(f"  {ident}:\n    name: {ident}\n    illustration: {value}\n"
                        for ident, value in pictures_named.items())
    steps = "".join(f"      - exercise: {ident}\n        hold: 5s\n" for ident in pictures_named)
    # Rich text that would load a file (and a link that would start a browser) if shown as such.
    html = f"<img src=file://{outside}/secret.png><a href=file:///etc/passwd>Hostile</a>"
    (folder / "r.yaml").write_text("format: 1\ntitle: '<img src=../outside/secret.png>Hostile'\n"
                                   f"description: '{html}'\n"
                                   "exercises:\n" + exercises
                                   + "blocks:\n  - name: Main\n    steps:\n" + steps)
    os.symlink(outside / "secret.svg", folder / "secret-link.svg")
    os.symlink("/proc/self/environ", folder / "environ.svg")
    (folder / "sub").mkdir()
    direct = [folder / "secret-link.svg", folder / "environ.svg",
              folder / "sub" / ".." / ".." / "outside" / "secret.svg", folder / "pipe.png"]
    return folder / "r.yaml", outside, direct
