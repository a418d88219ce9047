"""The geometry of the page's charts; templates/insights/_charts.html draws them as SVG,
so they read with scripts off and print. Labels stay text (the template escapes them)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 150
ROW_HEIGHT = 26
PLOT_HEIGHT = 200
MARGIN = 36


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    row_height: int = ROW_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height + 8


def bar_chart(title: str, rows: list[tuple[str, int]]) -> BarChart:
    """Horizontal bars, one per row, the longest as wide as the plot."""
    top = max((value for _label, value in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(label, str(value), index * ROW_HEIGHT + 4, round(room * value / top))
        for index, (label, value) in enumerate(rows)
    ]
    return BarChart(title, bars)


@dataclass(frozen=True)
class Dot:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class Line:
    name: str
    css_class: str
    dots: list[Dot]

    @property
    def points(self) -> str:
        return " ".join(f"{dot.x},{dot.y}" for dot in self.dots)


@dataclass(frozen=True)
class Tick:
    at: int
    text: str


@dataclass(frozen=True)
class LineChart:
    title: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]
    width: int = WIDTH
    height: int = PLOT_HEIGHT + 2 * MARGIN
    left: int = MARGIN + 24
    bottom: int = PLOT_HEIGHT + MARGIN


def _x(index: int, count: int) -> int:
    left, right = MARGIN + 24, WIDTH - MARGIN
    return (
        left + (right - left) // 2 if count == 1 else left + (right - left) * index // (count - 1)
    )


def line_chart(
    title: str,
    months: list[str],
    series: dict[str, list[float | None]],
    unit: float,
    unit_text: str,
) -> LineChart:
    """One line per series over the months; values in seconds shown in `unit`s (60: minutes).
    A month without a value has no dot; the line joins the dots there are."""
    top = max((v for values in series.values() for v in values if v is not None), default=0)
    top = max(top / unit, 1.0)

    def y(value: float) -> int:
        return MARGIN + round(PLOT_HEIGHT * (1 - value / unit / top))

    lines = [
        Line(
            name,
            f"series-{name.lower()}",
            [
                Dot(_x(i, len(months)), y(v), f"{name} {months[i]}: {v / unit:.0f} {unit_text}")
                for i, v in enumerate(values)
                if v is not None
            ],
        )
        for name, values in series.items()
    ]
    x_ticks = [Tick(_x(i, len(months)), month) for i, month in enumerate(months)]
    y_ticks = [
        Tick(y(top * unit * share), f"{top * share:.0f} {unit_text}") for share in (0, 0.5, 1)
    ]
    return LineChart(title, x_ticks, y_ticks, lines)
