"""The list of routines, grouped: bundled, the person's own folder, recently opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
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
from player.ui.widgets.style import TextRole, role_font

_PATH_ROLE = Qt.ItemDataRole.UserRole


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
        self.setUniformRowHeights(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIndentation(12)
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
        finally:
            self.blockSignals(False)
        if selected is not None:
            self.select_path(selected)

    def _add_group(self, group: Group, members: list[LibraryEntry]) -> None:
        header = QTreeWidgetItem([group.value, ""])
        header.setFlags(Qt.ItemFlag.ItemIsEnabled)
        header.setFont(0, role_font(TextRole.HEADING))
        header.setSizeHint(0, QSize(0, round(self.fontMetrics().height() * 1.4) + 14))
        if group is Group.USER:
            header.setToolTip(0, str(self._library.user_dir))
        self.addTopLevelItem(header)
        for entry in members:
            header.addChild(self._item(entry))
        if not members and group is Group.USER:
            hint = QTreeWidgetItem(["No routines yet: put .yaml files in this folder", ""])
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            hint.setToolTip(0, str(self._library.user_dir))
            header.addChild(hint)

    def _item(self, entry: LibraryEntry) -> QTreeWidgetItem:
        length = format_duration(entry.total_seconds) if entry.total_seconds is not None else ""
        item = QTreeWidgetItem([without_bidi_controls(entry.title), length])
        item.setData(0, _PATH_ROLE, str(entry.path))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setSizeHint(0, QSize(0, self.fontMetrics().height() + 12))  # room to aim and read
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
