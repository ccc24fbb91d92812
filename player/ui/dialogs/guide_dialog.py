"""A page of advice in a window of its own: "About your back" (Help menu, the banners' link).

:class:`GuideDialog` shows a :class:`~player.core.guide.Guide`: its title and introduction,
a list of its sections that jump to each, and every section with its sources. It is not modal,
so a session can play on while it is open. The guide's text is plain text: every word is
escaped before it goes into the page, and the only links are the page's own (to its sections).
A guide that cannot be read is said in the page, never as a traceback.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from player.core.guide import Guide, GuideError, Paragraph, load_guide

log = logging.getLogger(__name__)

#: The window's title before the guide gives its own (or when it cannot be read).
FALLBACK_TITLE = "About your back"
CANNOT_SHOW = "This page cannot be shown: {problem}"
#: The default size; the page scrolls.
SIZE = (720, 640)


def guide_html(guide: Guide) -> str:
    """The guide as HTML for a QTextBrowser, every text of the guide escaped."""
    e = html.escape
    parts = [f"<h1>{e(guide.title)}</h1>", f"<p>{e(guide.intro)}</p>",
             f"<p><b>{e(guide.contents_heading)}</b></p><ul>"]
    parts += [f'<li><a href="#{e(s.id)}">{e(s.title)}</a></li>' for s in guide.sections]
    parts.append("</ul>")
    for section in guide.sections:
        parts.append(f'<h2><a name="{e(section.id)}"></a>{e(section.title)}</h2>')
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{e(block.text)}</p>")
            else:
                parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>")
        parts.append(f"<p><small><i>{e(guide.sources_heading)}</i></small></p><ul>")
        parts += [f"<li><small>{e(source)}</small></li>" for source in section.sources]
        parts.append("</ul>")
    return "\n".join(parts)


class GuideDialog(QDialog):
    """The guide in ``path``, read when the dialog is made."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.resize(*SIZE)
        self.guide: Guide | None = None
        #: Why the guide cannot be shown (None when it is shown).
        self.problem: str | None = None
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # the page's own anchors only, followed below
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self._load(path)

    def _load(self, path: Path) -> None:
        try:
            self.guide = load_guide(path)
        except GuideError as exc:
            log.error("the guide %s cannot be shown: %s", path, exc)
            self.problem = str(exc)
            self.setWindowTitle(FALLBACK_TITLE)
            self.browser.setPlainText(CANNOT_SHOW.format(problem=exc))
            return
        self.setWindowTitle(self.guide.title)
        self.browser.setAccessibleName(self.guide.title)
        self.browser.setHtml(guide_html(self.guide))

    def show_section(self, section_id: str = "") -> None:
        """Show the dialog (raised, in front), at ``section_id`` or at the top."""
        if self.isVisible():  # already open, perhaps behind the window: bring it forward
            self.raise_()
            self.activateWindow()
        else:
            self.show()
        if self.guide is not None and self.guide.section(section_id) is not None:
            self.browser.scrollToAnchor(section_id)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if not url.scheme() and url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())
