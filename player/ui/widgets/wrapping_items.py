"""Item views whose rows grow to their text wrapped at the column's width, never elided."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

#: An item's extra height, in pixels (an int under this role), so it is easy to aim at and read.
PADDING_ROLE = Qt.ItemDataRole.UserRole + 100


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped at the column's width, plus the padding an item asks
    for under :data:`PADDING_ROLE`.

    A row is as tall as its tallest column: the padding is added in every column this delegate
    draws (:func:`wrap_items` leaves the columns that size to their text to Qt's own delegate).
    """

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                        index: QModelIndex | QPersistentModelIndex) -> None:
        """Wrap the text, in painting as in measuring (the view's own word wrap does not reach
        its delegate's measure)."""
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        """The wrapped text's size at the column's width, and the padding."""
        view = self._view
        if view.header().sectionResizeMode(index.column()) is \
                QHeaderView.ResizeMode.ResizeToContents:  # its width follows its text
            return self._padded(super().sizeHint(option, index), index)
        wrapped = QStyleOptionViewItem(option)
        width = view.columnWidth(index.column())
        if index.column() == view.header().logicalIndex(0):
            depth, parent = (1 if view.rootIsDecorated() else 0), index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= depth * view.indentation()
        wrapped.rect = QRect(0, 0, max(1, width), 1_000)  # a valid rect, or the style ignores it
        return self._padded(super().sizeHint(wrapped, index), index)

    @staticmethod
    def _padded(size: QSize, index: QModelIndex | QPersistentModelIndex) -> QSize:
        pad = index.data(PADDING_ROLE)
        return QSize(size.width(), size.height() + (pad if isinstance(pad, int) else 0))


def wrap_items(view: QTreeView) -> None:
    """Make ``view`` wrap its items' text and size its rows to it, as its columns resize.

    The columns already set to size to their text (``ResizeToContents``: one line, never
    wrapped) keep Qt's own delegate, which measures and draws them without calling Python for
    every row at each layout (the row's padding comes from its wrapping column).
    """
    view.setWordWrap(True)
    view.setUniformRowHeights(False)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setItemDelegate(WrappingDelegate(view))
    header, model = view.header(), view.model()
    for column in range(model.columnCount() if model is not None else 0):
        if header.sectionResizeMode(column) is QHeaderView.ResizeMode.ResizeToContents:
            view.setItemDelegateForColumn(column, QStyledItemDelegate(view))
    view.header().sectionResized.connect(lambda *_: view.scheduleDelayedItemsLayout())
