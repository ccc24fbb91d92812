"""The list of routines, grouped: bundled, the person's own folder, recently opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from player.core.durations import format_duration
from player.core.text import without_bidi_controls
from player.ui.controllers.library_model import Group, LibraryEntry, RoutineLibrary
from player.ui.widgets.labels import TextLabel
from player.ui.widgets.style import TextRole, role_font
from player.ui.widgets.wrapping_items import PADDING_ROLE, wrap_items

# User-visible text, in one place for translation.
EMPTY_HINT = "No routines of your own yet: put .yaml files in your routines folder " \
    "(My routines folder, above)."

_PATH_ROLE = Qt.ItemDataRole.UserRole
#: Extra height of a group heading's row.
HEADING_PADDING = 16
#: Extra height of a routine's row.
ITEM_PADDING = 10


class LibraryView(QTreeWidget):
    """Shows a :class:`RoutineLibrary`; emits the path a person selects or activates."""

    routine_selected = Signal(Path)
    routine_activated = Signal(Path)

    def __init__(self, library: RoutineLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.setAccessibleName("Routine library")
        self.setColumnCount(2)
        self.setHeaderLabels(["Routine", "Length"])
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setRootIsDecorated(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIndentation(12)
        wrap_items(self)  # long titles wrap onto more lines rather than end in an ellipsis
        #: Under the list while the person's own folder has no routines (placed by the window).
        self.empty_hint = TextLabel(EMPTY_HINT, TextRole.SMALL, wrap=True, dim=True, parent=self)
        self.empty_hint.setToolTip(str(library.user_dir))
        self.empty_hint.setAccessibleName("No routines of your own")
        self.currentItemChanged.connect(self._on_current_item_changed)
        self.itemActivated.connect(self._on_item_activated)
        library.entries_changed.connect(self._on_entries_changed)
        self._on_entries_changed()

    def select_path(self, path: Path) -> bool:
        """Select the entry for ``path``; False when it is not listed."""
        entry = self._library.entry_for(path)
        if entry is None:
            return False
        for item in self._path_items():
            if item.data(0, _PATH_ROLE) == str(entry.path):
                self.setCurrentItem(item)
                return True
        return False

    def selected_path(self) -> Path | None:
        """The selected routine's file, if any."""
        item = self.currentItem()
        value = item.data(0, _PATH_ROLE) if item is not None else None
        return Path(value) if value else None

    def follow_application_font(self) -> None:
        """Redraw the group headings in the new text size (the large-text mode)."""
        self._on_entries_changed()

    def _path_items(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            if group is not None:
                items += [c for j in range(group.childCount()) if (c := group.child(j)) is not None]
        return items

    def _on_entries_changed(self) -> None:
        selected = self.selected_path()
        self.blockSignals(True)
        try:
            self.clear()
            entries = self._library.entries()
            for group in Group:
                members = [e for e in entries if e.group is group]
                if group is Group.RECENT and not members:
                    continue
                self._add_group(group, members)
            self.expandAll()
            self.empty_hint.setVisible(not any(e.group is Group.USER for e in entries))
        finally:
            self.blockSignals(False)
        self._fit_width()
        if selected is not None:
            self.select_path(selected)

    def _add_group(self, group: Group, members: list[LibraryEntry]) -> None:
        header = QTreeWidgetItem([group.value, ""])
        header.setFlags(Qt.ItemFlag.ItemIsEnabled)
        header.setFont(0, role_font(TextRole.HEADING))
        header.setData(0, PADDING_ROLE, HEADING_PADDING)
        if group is Group.USER:
            header.setToolTip(0, str(self._library.user_dir))
        self.addTopLevelItem(header)
        for entry in members:
            header.addChild(self._item(entry))

    def _fit_width(self) -> None:
        """Never narrower than the longest word of a group heading or a title needs (the rest
        wraps), so the preview beside keeps as much room as it can."""
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + margin
        need = 0
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            if group is None:
                continue
            items = [group, *(c for j in range(group.childCount()) if (c := group.child(j)))]
            for item in items:
                metrics = QFontMetrics(item.font(0))
                room = 0 if item is group else self.indentation() + icon
                need = max(need, room + max(metrics.horizontalAdvance(word)
                                            for word in item.text(0).split() or [""]))
        length = self.header().sectionSizeHint(1)
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(need + margin + length + frame)

    def _item(self, entry: LibraryEntry) -> QTreeWidgetItem:
        length = format_duration(entry.total_seconds) if entry.total_seconds is not None else ""
        item = QTreeWidgetItem([without_bidi_controls(entry.title), length])
        item.setData(0, _PATH_ROLE, str(entry.path))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setData(0, PADDING_ROLE, ITEM_PADDING)
        if not entry.usable:
            item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setText(1, "errors")
        return item

    def _on_current_item_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        value = current.data(0, _PATH_ROLE) if current is not None else None
        if value:
            self.routine_selected.emit(Path(value))

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, _PATH_ROLE)
        if value:
            self.routine_activated.emit(Path(value))
