"""A row of widgets that wraps onto more rows when the window is too narrow for it.

Used for the rows of buttons at the top of the library and history pages, so that with large
text in a narrow window no button is squeezed below the width its words need.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Lays its items out left to right, starting a new row when the next item does not fit.

    A stretch (:meth:`addStretch`) takes no room of its own when rows are broken; on its row it
    takes what the row leaves, so what follows it sits at the row's right edge.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- the QLayout interface -----------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        """Append ``item``."""
        self._items.append(item)

    def count(self) -> int:
        """How many items there are, stretches included."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        """The item at ``index``, or None."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        """Remove and return the item at ``index``, or None."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        """Grows sideways only; its height follows from its width."""
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        """Its height depends on its width (how many rows)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        """The height of the rows at ``width``."""
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Every item on one row."""
        widgets = self._widget_items()
        width = sum(i.sizeHint().width() for i in widgets) + self._gap * max(0, len(widgets) - 1)
        height = max((i.sizeHint().height() for i in widgets), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """As wide as the widest item (one item a row)."""
        size = QSize()
        for item in self._widget_items():
            size = size.expandedTo(item.minimumSize().expandedTo(item.sizeHint()))
        return self._with_margins(size)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        """Place the items in ``rect``."""
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    # --- like QBoxLayout ---------------------------------------------------------------------
    def addWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        """Append ``widget``."""
        self.insertWidget(len(self._items), widget)

    def insertWidget(self, index: int, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        """Put ``widget`` at ``index`` (as QBoxLayout does, so callers need not know)."""
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def addStretch(self, _stretch: int = 1) -> None:  # noqa: N802 - Qt's name
        """Append room that pushes what follows it on its row to the right."""
        self._items.append(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Minimum))
        self.invalidate()

    # --- helpers -----------------------------------------------------------------------------
    def _widget_items(self) -> list[QLayoutItem]:
        return [i for i in self._items if i.widget() is not None and not i.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Break the items into rows within ``rect`` (placing them when ``move``); the height."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if item.spacerItem() is not None:
                rows[-1].append(item)
                continue
            if item.isEmpty():
                continue
            width = item.sizeHint().width()
            if rows[-1] and used and used + self._gap + width > area.width():
                rows.append([])
                used = 0
            used += (self._gap if used else 0) + width
            rows[-1].append(item)
        y = area.y()
        for row in rows:
            widgets = [i for i in row if i.spacerItem() is None]
            if not widgets:
                continue
            height = max(i.sizeHint().height() for i in widgets)
            spare = area.width() - sum(i.sizeHint().width() for i in widgets) \
                - self._gap * (len(widgets) - 1)
            x = area.x()
            for item in row:
                if item.spacerItem() is not None:
                    x += max(0, spare)
                    spare = 0
                    continue
                if move:
                    hint = item.sizeHint()
                    item.setGeometry(QRect(QPoint(x, y), QSize(min(hint.width(), area.width()),
                                                               height)))
                x += item.sizeHint().width() + self._gap
            y += height + self._gap
        return max(0, y - self._gap - area.y()) + margins.top() + margins.bottom()
