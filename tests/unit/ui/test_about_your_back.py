"""The "About your back" page: from the Help menu and from the banners' link, safely shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from player.core.bundled import ABOUT_YOUR_BACK_FILE
from player.core.care import Advice
from player.core.guide import load_guide
from player.ui.dialogs.guide_dialog import CANNOT_SHOW, GuideDialog
from player.ui.widgets.banner import ABOUT_SECTION
from tests.unit.ui.harness import Harness

# A top-level window on the offscreen platform: Qt says what that platform cannot do.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")

SEE = Advice("see_professional", ("Your pain is getting worse.",), "See a GP.")
EMERGENCY = Advice("emergency", ("You reported numbness when wiping.",), "Get help now.")


def page_titles(dialog: GuideDialog) -> list[str]:
    guide = load_guide(ABOUT_YOUR_BACK_FILE)
    text = dialog.browser.toPlainText()
    return [s.title for s in guide.sections if s.title in text]


def test_help_menu_opens_the_page_with_every_section_and_its_sources(harness: Harness) -> None:
    help_menu = harness.window.menuBar().actions()[-1].menu()
    assert harness.window.about_back_action in help_menu.actions()
    harness.window.about_back_action.trigger()
    dialog = harness.window.show_about_your_back()
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.windowTitle() == "About your back"
    guide = load_guide(ABOUT_YOUR_BACK_FILE)
    assert page_titles(dialog) == [s.title for s in guide.sections]
    text = dialog.browser.toPlainText()
    assert text.count(guide.sources_heading) == len(guide.sections)
    for section in guide.sections:
        for source in section.sources:
            assert source in text
    assert dialog.browser.verticalScrollBar().value() == 0  # from the menu: at the top


def test_every_banner_links_to_the_page_at_when_to_see_someone(harness: Harness, qtbot) -> None:
    assert harness.app.care is not None
    banner = harness.app.care.banner
    for advice in (SEE, EMERGENCY):
        banner.show_advice(advice)
        assert banner.about_link.isVisibleTo(harness.window)
        # The link is drawn in the banner's own text colour (white on the red panel).
        text = banner.palette().color(QPalette.ColorRole.WindowText)
        assert banner.about_link.palette().color(QPalette.ColorRole.ButtonText) == text
    assert banner.about_link.palette().color(QPalette.ColorRole.ButtonText).name() == "#ffffff"
    qtbot.mouseClick(banner.about_link, Qt.MouseButton.LeftButton)
    harness.settle()
    dialog = harness.window.show_about_your_back(ABOUT_SECTION)
    assert dialog.isVisible()
    assert dialog.browser.verticalScrollBar().value() > 0  # scrolled down to the section
    # Back at the top when opened from the menu again.
    harness.window.about_back_action.trigger()
    assert dialog.browser.verticalScrollBar().value() == 0


def test_the_link_click_opens_the_page(harness: Harness, qtbot) -> None:
    assert harness.app.care is not None
    banner = harness.app.care.banner
    banner.show_advice(SEE)
    with qtbot.waitSignal(banner.about_requested, timeout=1000) as signal:
        qtbot.mouseClick(banner.about_link, Qt.MouseButton.LeftButton)
    assert signal.args == [ABOUT_SECTION]
    assert harness.window._about_back is not None and harness.window._about_back.isVisible()


def test_a_session_plays_on_while_the_page_is_open(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("format: 1\ntitle: R\nblocks:\n  - name: M\n    steps:\n"
                    "      - exercise: plank\n        hold: 30s\n")
    assert harness.window.start_routine(path.resolve())
    harness.advance(6)
    before = harness.player.countdown_text
    harness.window.about_back_action.trigger()
    harness.advance(3)
    assert harness.player.countdown_text != before
    assert harness.window.keep_awake.held  # the page does not pause anything


GUIDE = """\
format: 1
title: "<b>Bold</b> title"
intro: "An <img src='x.png'> and a <a href='https://example.com'>link</a>."
contents_heading: On this page
sources_heading: "Sources:"
sections:
  - id: one
    title: One & two
    text: ["<script>alert(1)</script>", {points: ["<i>tag</i>"]}]
    sources: ["NHS <u>pages</u>"]
"""


def anchors(dialog: GuideDialog) -> list[str]:
    """Every link target in the page."""
    found: list[str] = []
    block = dialog.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
        block = block.next()
    return found


def test_the_page_text_is_plain_text_never_html(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(GUIDE, encoding="utf-8")
    dialog = GuideDialog(path)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for shown in ("<b>Bold</b> title", "<img src='x.png'>", "<a href='https://example.com'>",
                  "<script>alert(1)</script>", "<i>tag</i>", "NHS <u>pages</u>", "One & two"):
        assert shown in text
    assert anchors(dialog) == ["#one"]  # the contents' link only; no link, no image from text
    assert "<img" not in dialog.browser.document().toHtml()
    assert dialog.windowTitle() == "<b>Bold</b> title"


def test_a_broken_guide_is_said_in_the_page(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(GUIDE.replace('    sources: ["NHS <u>pages</u>"]\n', ""), encoding="utf-8")
    dialog = GuideDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.guide is None and dialog.problem is not None
    assert "section 1 (one): 'sources' must list at least one source" in dialog.problem
    assert dialog.browser.toPlainText() == CANNOT_SHOW.format(problem=dialog.problem)


def test_large_text_makes_the_page_bigger_too(harness: Harness) -> None:
    dialog = harness.window.show_about_your_back()
    before = dialog.browser.document().defaultFont().pointSizeF()
    harness.window.large_text_action.trigger()
    harness.settle()
    assert dialog.browser.document().defaultFont().pointSizeF() > before
    harness.window.large_text_action.trigger()
    harness.settle()
    assert dialog.browser.document().defaultFont().pointSizeF() == before
