"""The printable handout: how long it takes to make, typical and worst case.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_handout.py [--repeat 5]

Times, in the same run and process (the first run of each is left out as a warm-up):

1. baseline: the report PDF of an empty history (one page, the same document machinery);
2. the handout of the bundled ``core-strength.yaml`` for week 3, with the clinician copy
   (11 pictures drawn from their SVGs);
3. the worst case of the tests (60 exercises with long texts, 52 weeks × 14 sessions, the
   clinician copy), A4.

Each line gives the median and the slowest run in ms, the pages, and the ratio of the median to
the baseline's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QPageSize  # noqa: E402

from player.core import bundled  # noqa: E402
from player.core.history import HistoryData  # noqa: E402
from player.core.loader import load_library, load_routine  # noqa: E402
from player.core.report import build_report  # noqa: E402
from player.ui.handout_pdf import render_handout_pdf  # noqa: E402
from player.ui.report_pdf import ensure_gui_application, render_report_pdf  # noqa: E402
from tests.unit.ui.test_handout_pdf import worst_routine  # noqa: E402

A4 = QPageSize(QPageSize.PageSizeId.A4)


def timed(job: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    job()  # warm-up: fonts, the SVG plugin
    runs, pages = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = job()
        runs.append((time.perf_counter() - start) * 1000)
    return runs, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_gui_application()
    core = load_routine(bundled.ROUTINES_DIR / "core-strength.yaml", load_library()).routine
    assert core is not None
    worst = worst_routine()
    empty = build_report(HistoryData(), None, datetime(2024, 3, 20, 10, tzinfo=UTC))
    jobs = {
        "baseline: empty report": lambda: render_report_pdf(empty, page_size=A4,
                                                            record=False).pages,
        "core-strength week 3 + clinician": lambda: render_handout_pdf(
            core, 3, clinician=True, page_size=A4, record=False).pages,
        "worst case (60 exercises) + clinician": lambda: render_handout_pdf(
            worst, 2, clinician=True, page_size=A4, record=False).pages,
    }
    base = None
    for name, job in jobs.items():
        runs, pages = timed(job, args.repeat)
        median = statistics.median(runs)
        base = base or median
        print(f"{name:40} median {median:8.1f} ms  slowest {max(runs):8.1f} ms  "
              f"{pages:3} pages  {median / base:6.1f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
