"""The metrics chart is a real, readable PNG, drawn without loading matplotlib for anything else."""

from __future__ import annotations

import io
import subprocess
import sys

import bot.cli
from retrieval.charts import render_metrics_chart
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_chart_is_a_valid_png_of_sane_size(seeded_service: ResearchService) -> None:
    from PIL import Image

    png = seeded_service.metrics_chart()
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
        assert 800 <= width <= 2000 and 400 <= height <= 1200
        colors = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colors is not None and len(colors) > 10, "the chart looks blank"


def test_chart_handles_a_profile_without_papers(seeded_service: ResearchService) -> None:
    import matplotlib.image

    empty = seeded_service.metrics().model_copy(update={"by_year": {}, "by_category": {}, "papers_listed": 0})
    pixels = matplotlib.image.imread(io.BytesIO(render_metrics_chart(empty)), format="png")
    assert pixels.ndim == 3 and pixels.shape[0] > 100


def test_cli_metrics_chart_writes_the_png(monkeypatch, capsys, seeded_service: ResearchService, tmp_path) -> None:
    monkeypatch.setattr(bot.cli, "ResearchService", lambda settings: seeded_service)
    chart = tmp_path / "metrics.png"
    assert bot.cli.main(["metrics", "--chart", str(chart)]) == 0
    captured = capsys.readouterr()
    assert "h-index 117" in captured.out  # the normal report still prints
    assert chart.read_bytes().startswith(PNG_SIGNATURE)


def test_matplotlib_is_imported_only_to_draw() -> None:
    code = "import sys, bot.cli, retrieval.service; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, timeout=120).returncode == 0
