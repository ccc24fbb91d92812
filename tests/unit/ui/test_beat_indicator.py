"""The visual metronome marks every beat, even at 200 a minute, without pulsing the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.settings import Settings
from tests.unit.ui.harness import Harness

FAST = """\
format: 1
title: Fast cadence
defaults: {lead_in: 0s}
blocks:
  - name: Main
    steps:
      - cadence: 200
        duration: 6s
"""


@pytest.mark.parametrize("muted", [False, True])
def test_every_beat_is_shown_by_the_indicator_and_the_window_never_pulses(
        make_harness, tmp_path: Path, muted: bool) -> None:
    h: Harness = make_harness(Settings(muted=muted, notice_accepted=True))
    h.show()
    path = tmp_path / "fast.yaml"
    path.write_text(FAST)
    assert h.window.start_routine(path)
    indicator = h.player.beat_indicator
    assert indicator.isVisibleTo(h.player) and indicator.lit == 0  # the first beat, at once
    flashes = h.window.flash.flash_count
    lit: list[int | None] = []
    for _ in range(40):  # 6 s in steps of 0.15 s: at least one step per 0.3 s beat
        h.advance(0.15, step=0.15)
        lit.append(indicator.lit)
    assert indicator.beats_shown == 20  # 200 a minute for 6 s
    changes = [b for a, b in zip(lit, lit[1:], strict=False) if a != b]
    assert len(changes) >= 18 and set(changes) == {0, 1}  # left, right, left ...
    assert h.window.flash.flash_count == flashes
    size = indicator.sizeHint()
    assert size.width() * size.height() < 341 * 256 / 4  # far under WCAG's small area
