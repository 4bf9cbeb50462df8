"""The metrics chart (the CLI's `metrics --chart` and the bot's attachment): papers per year, per category,
citations per year and the snapshot history when the profile has them.

matplotlib is imported only when a chart is drawn, and only through its object API with the Agg
canvas: pyplot's global figure state is not thread-safe, and the bot draws from worker threads.
"""

from __future__ import annotations

import io
from typing import Any

from retrieval.models import MetricsReport

BAR_COLOR = "#4C72B0"
LINE_COLOR = "#DD8452"
DPI = 110


def render_metrics_chart(report: MetricsReport) -> bytes:
    """A PNG: papers per year (bars, gap years shown as 0) and per category; for a profile fetched from a source,
    citations per year; once there are two snapshots, their history (h-index and citations over time)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = [_papers_per_year, _papers_per_category]
    if report.citations_by_year:
        panels.append(_citations_per_year)
    if len(report.snapshots) > 1:
        panels.append(_snapshot_history)
    rows = (len(panels) + 1) // 2
    figure = Figure(figsize=(11, 4.8 * rows), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.subplots(rows, 2, squeeze=False)
    for draw, axes in zip(panels, grid.flat, strict=False):
        draw(axes, report)
        axes.spines[["top", "right"]].set_visible(False)
    for axes in list(grid.flat)[len(panels) :]:
        axes.set_visible(False)
    figure.suptitle(_headline(report), fontsize=13, fontweight="bold")

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _year_bars(axes: Any, counts_by_year: dict[int, int], title: str, unit: str) -> None:
    years = list(range(min(counts_by_year), max(counts_by_year) + 1)) if counts_by_year else []
    counts = [counts_by_year.get(year, 0) for year in years]
    bars = axes.bar([str(year) for year in years], counts, color=BAR_COLOR)
    axes.bar_label(bars, labels=[f"{count:,}" if count else "" for count in counts], padding=2)
    axes.set_title(title)
    axes.set_ylabel(unit)
    axes.tick_params(axis="x", labelrotation=45)


def _papers_per_year(axes: Any, report: MetricsReport) -> None:
    _year_bars(axes, report.by_year, "Papers per year", "papers")


def _citations_per_year(axes: Any, report: MetricsReport) -> None:
    _year_bars(axes, report.citations_by_year, "Citations per year", "citations")


def _papers_per_category(axes: Any, report: MetricsReport) -> None:
    categories = list(reversed(report.by_category))  # largest on top
    bars = axes.barh(categories, [report.by_category[name] for name in categories], color=BAR_COLOR)
    axes.bar_label(bars, padding=2)
    axes.set_title("Papers per category")
    axes.set_xlabel("papers")


def _snapshot_history(axes: Any, report: MetricsReport) -> None:
    """h-index (left axis) and citations (right axis) at each snapshot: a line each."""
    times = [snapshot.taken_at for snapshot in report.snapshots]
    axes.plot(times, [s.h_index for s in report.snapshots], marker="o", color=BAR_COLOR, label="h-index")
    axes.set_ylabel("h-index", color=BAR_COLOR)
    citations = axes.twinx()
    citations.plot(times, [s.citations for s in report.snapshots], marker="s", color=LINE_COLOR, label="citations")
    citations.set_ylabel("citations", color=LINE_COLOR)
    axes.set_title("Snapshot history")
    axes.tick_params(axis="x", labelrotation=45)


def _headline(report: MetricsReport) -> str:
    parts = [report.name]
    if report.h_index is not None:
        parts.append(f"h-index {report.h_index}")
    if report.citations is not None:
        parts.append(f"{report.citations:,} citations")
    claimed = f" ({report.papers_claimed} claimed)" if report.papers_claimed not in (None, report.papers_listed) else ""
    parts.append(f"{report.papers_listed} papers listed{claimed}")
    return " · ".join(parts)
