#!/usr/bin/env python3
"""Draw every bundled illustration on one contact sheet, as the app shows it, with its name.

    .venv/bin/python scripts/make_contact_sheet.py [--out docs/illustrations.png]
                                                   [--cell 400x300] [--columns 4] [IDS...]

Each picture is rendered by QtSvg (offscreen, no display needed) on the same light card the
player paints it on, at about the size the player shows it (400x300 by default), with the
exercise's name from the bundled library (or the picture's own title) and its id underneath.
The order is the library's, then the pictures the app uses for rest, ice and heat, then the
placeholder shown when a picture is missing. Give ids to draw only those (handy while drawing).
"""

from __future__ import annotations

import argparse
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import yaml  # noqa: E402 - after the path
from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from player.core import bundled  # noqa: E402

OUT = ROOT / "docs" / "illustrations.png"
EXTRAS = ("rest", "ice_pack", "heat_pack", "placeholder")
SHEET = QColor("#ffffff")
CARD = QColor("#f6f4ee")  # player.ui.widgets.style.ILLUSTRATION_CARD
CARD_EDGE = QColor("#d9d4c7")  # player.ui.widgets.style.ILLUSTRATION_CARD_EDGE
TEXT = QColor("#2b2d42")
SUBTLE = QColor("#6c757d")
GAP = 16
LABEL_H = 44


def entries() -> list[tuple[str, str]]:
    """Return (id, name) for every picture: the library's exercises in order, then the extras."""
    library = yaml.safe_load(bundled.LIBRARY_FILE.read_text(encoding="utf-8"))
    items = [(ident, str(ex["name"])) for ident, ex in library["exercises"].items()]
    for ident in EXTRAS:
        title = ET.parse(bundled.ILLUSTRATIONS_DIR / f"{ident}.svg").getroot().findtext(
            "{http://www.w3.org/2000/svg}title") or ident
        items.append((ident, title))
    return items


def draw_card(painter: QPainter, card: QRectF, svg: Path) -> None:
    """Paint the card and fit the drawing in it, keeping its aspect ratio, as the player does."""
    painter.setPen(QPen(CARD_EDGE, 1))
    painter.setBrush(CARD)
    painter.drawRoundedRect(card, 14, 14)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} does not render")
    box = renderer.viewBoxF()
    room = card.adjusted(2, 2, -2, -2)
    scale = min(room.width() / box.width(), room.height() / box.height())
    w, h = box.width() * scale, box.height() * scale
    renderer.render(painter, QRectF(room.center().x() - w / 2, room.center().y() - h / 2, w, h))


def make_sheet(items: list[tuple[str, str]], cell: tuple[int, int], columns: int) -> QImage:
    """Return the contact sheet image."""
    columns = max(1, min(columns, len(items)))
    rows = -(-len(items) // columns)
    cw, ch = cell
    image = QImage(GAP + columns * (cw + GAP), GAP + rows * (ch + LABEL_H + GAP),
                   QImage.Format.Format_RGB32)
    image.fill(SHEET)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    name_font, id_font = QFont("DejaVu Sans"), QFont("DejaVu Sans Mono")
    name_font.setPixelSize(17)
    name_font.setBold(True)
    id_font.setPixelSize(12)
    for n, (ident, name) in enumerate(items):
        x = GAP + (n % columns) * (cw + GAP)
        y = GAP + (n // columns) * (ch + LABEL_H + GAP)
        draw_card(painter, QRectF(x + 0.5, y + 0.5, cw - 1, ch - 1),
                  bundled.ILLUSTRATIONS_DIR / f"{ident}.svg")
        painter.setPen(TEXT)
        painter.setFont(name_font)
        painter.drawText(QRectF(x, y + ch + 4, cw, 22),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.setPen(SUBTLE)
        painter.setFont(id_font)
        painter.drawText(QRectF(x, y + ch + 25, cw, 16),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{ident}.svg")
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    """Write the contact sheet."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="PNG to write (default: %(default)s)")
    parser.add_argument("--cell", default="400x300", help="card size WxH (default: %(default)s)")
    parser.add_argument("--columns", type=int, default=4, help="cards a row (default: %(default)s)")
    parser.add_argument("ids", nargs="*", help="draw only these pictures")
    args = parser.parse_args(argv)
    width, _, height = args.cell.partition("x")
    items = entries()
    if args.ids:
        unknown = set(args.ids) - {ident for ident, _ in items}
        if unknown:
            parser.error(f"no such picture: {', '.join(sorted(unknown))}")
        items = [item for item in items if item[0] in args.ids]
    _app = QGuiApplication.instance() or QGuiApplication([])
    image = make_sheet(items, (int(width), int(height)), args.columns)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(args.out)):  # the format follows the name
        raise SystemExit(f"cannot write {args.out}")
    print(f"{len(items)} picture(s) on {args.out} ({image.width()}x{image.height()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
