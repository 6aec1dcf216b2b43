"""Draws a `guardian.reports.charts.Chart` (bars, lines, labels) with QPainter.

The shapes are computed once by the core, as for the HTML and the PDF; this
widget only scales them into its own rectangle, keeping their proportions.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from guardian.reports.charts import Chart, Line


class ChartWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart: Chart | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(200)

    @property
    def chart(self) -> Chart | None:
        return self._chart

    def set_chart(self, chart: Chart | None) -> None:
        self._chart = chart
        self.setAccessibleDescription(chart.description if chart else "")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        if self._chart is None:
            return QSize(640, 230)
        return QSize(int(self._chart.width), int(self._chart.height))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return self._chart is not None

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        if self._chart is None:
            return 230
        return int(min(width, self._chart.width * 1.6) * self._chart.height / self._chart.width)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        chart = self._chart
        if chart is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        scale = min(self.width() / chart.width, self.height() / chart.height)
        painter.translate((self.width() - chart.width * scale) / 2,
                          (self.height() - chart.height * scale) / 2)
        painter.scale(scale, scale)
        for line in chart.grid:
            _line(painter, line)
        painter.setPen(Qt.PenStyle.NoPen)
        for rect in chart.rects:
            painter.setBrush(QColor(rect.fill))
            painter.drawRect(QRectF(rect.x, rect.y, rect.w, rect.h))
        for line in chart.lines:
            _line(painter, line)
        font = QFont(self.font())
        for label in chart.labels:
            font.setPointSizeF(label.size * 0.75)  # chart sizes are pixels at 96 dpi
            font.setBold(label.bold)
            painter.setFont(font)
            painter.setPen(QColor(label.fill))
            width = painter.fontMetrics().horizontalAdvance(label.text)
            x = label.x - {"start": 0, "middle": width / 2, "end": width}.get(label.anchor, 0)
            painter.drawText(QPointF(x, label.y), label.text)
        painter.end()


def _line(painter: QPainter, line: Line) -> None:
    pen = QPen(QColor(line.stroke), line.width)
    if line.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLine(QPointF(line.x1, line.y1), QPointF(line.x2, line.y2))
