"""The metrics chart (the CLI's `metrics --chart` and the bot's attachment): papers per year, per category.

matplotlib is imported only when a chart is drawn, and only through its object API with the Agg
canvas: pyplot's global figure state is not thread-safe, and the bot draws from worker threads.
"""

from __future__ import annotations

import io

from retrieval.models import MetricsReport

BAR_COLOR = "#4C72B0"
DPI = 110


def render_metrics_chart(report: MetricsReport) -> bytes:
    """A PNG with two panels: papers per year (bars, gap years shown as 0) and per category."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    by_year, by_category = figure.subplots(1, 2, width_ratios=[3, 2])

    years = list(range(min(report.by_year), max(report.by_year) + 1)) if report.by_year else []
    counts = [report.by_year.get(year, 0) for year in years]
    bars = by_year.bar([str(year) for year in years], counts, color=BAR_COLOR)
    by_year.bar_label(bars, labels=[str(count) if count else "" for count in counts], padding=2)
    by_year.set_title("Papers per year")
    by_year.set_ylabel("papers")
    by_year.tick_params(axis="x", labelrotation=45)

    categories = list(reversed(report.by_category))  # largest on top
    bars = by_category.barh(categories, [report.by_category[name] for name in categories], color=BAR_COLOR)
    by_category.bar_label(bars, padding=2)
    by_category.set_title("Papers per category")
    by_category.set_xlabel("papers")

    for axes in (by_year, by_category):
        axes.spines[["top", "right"]].set_visible(False)
    figure.suptitle(_headline(report), fontsize=13, fontweight="bold")

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _headline(report: MetricsReport) -> str:
    parts = [report.name]
    if report.h_index is not None:
        parts.append(f"h-index {report.h_index}")
    if report.citations is not None:
        parts.append(f"{report.citations:,} citations")
    claimed = f" ({report.papers_claimed} claimed)" if report.papers_claimed not in (None, report.papers_listed) else ""
    parts.append(f"{report.papers_listed} papers listed{claimed}")
    return " · ".join(parts)
