"""The session hands each cue to the audio side ahead, with its deadline; commands cancel it.

A scheduling stand-in output records what it is handed (and when it is told to cancel); the
clock is fake and the driver's timer is fired by hand: nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from player.audio import AudioOutput, TimedCue
from player.core.ahead import LOOKAHEAD_SECONDS
from player.core.plan import build_plan
from player.core.routine import Block, CadenceStep, Exercise, ExerciseStep, Routine, Sides, Tempo
from player.settings import Settings
from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.cue_player import CuePlayer, SoundStatus
from player.ui.controllers.session_controller import SessionController
from tests.fakes import FakeClock

T0 = 1000.0
SQUAT = Exercise("bodyweight_squat", "Bodyweight squat")
SIDE_PLANK = Exercise("side_plank", "Side plank")


class SchedulingOutput(AudioOutput):
    """Records the cues handed over, the files played at once, and each cancel."""

    schedules = True

    def __init__(self) -> None:
        super().__init__()
        self._available = True
        self.handed: list[TimedCue] = []
        self.now: list[Path] = []
        self.cancels = 0

    def play(self, path: Path) -> None:
        self.now.append(Path(path))

    def schedule(self, cues: Sequence[TimedCue]) -> None:
        self.handed.extend(cues)

    def cancel(self) -> None:
        self.cancels += 1

    def fail_clip(self, path: Path) -> None:
        self._clip_failed(path, "damaged (test)")


class Rig:
    def __init__(self, tmp_path: Path, muted: bool = False) -> None:
        self.clock = FakeClock(T0)
        self.settings = AppSettings(tmp_path / "settings.json", Settings(muted=muted))
        self.status = SoundStatus()
        self.cues = CuePlayer(self.settings, self.status, seconds_of=lambda p: 0.5, gap=0.1)
        self.output = SchedulingOutput()
        self.cues.set_output(self.output)
        self.controller = SessionController(self.cues, self.settings, self.clock,
                                            hand_ahead=True)
        routine = Routine(title="Ahead", lead_in=2.0, blocks=(Block("Main", (
            ExerciseStep(SQUAT, reps=3, tempo=Tempo(up=1, hold=1, down=2)),
            ExerciseStep(SIDE_PLANK, hold=6, sides=Sides.BOTH, switch_time=3),
            CadenceStep(bpm=120, seconds=4),
        )),))
        assert self.controller.start(build_plan(routine))

    def advance(self, seconds: float, step: float = 0.25) -> None:
        end = self.clock.time + seconds
        while self.clock.time < end - 1e-9:
            self.clock.set(min(end, self.clock.time + step))
            driver = self.controller.driver
            assert driver is not None
            driver.tick()


def deadlines(cues: Sequence[TimedCue]) -> list[float]:
    return [t for cue in cues for t, _ in cue.files]


def test_cues_are_handed_over_ahead_with_their_deadlines(qtbot: QtBot, tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    # The lead-in's cue is played at once (it starts with the session), the rest handed over.
    assert [p.stem for p in rig.output.now] == []
    first = rig.output.handed[0]
    assert first.at == T0 and first.interrupt  # the lead-in's own cue, due now
    later = rig.output.handed[1:]
    assert later and all(T0 < cue.at <= T0 + LOOKAHEAD_SECONDS for cue in later)
    squat_start = next(c for c in later if c.interrupt)
    assert squat_start.at == T0 + 2.0  # the first set starts when the lead-in ends
    times = deadlines([squat_start])
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps and all(gap == pytest.approx(0.6) for gap in gaps)  # files one after another


def test_every_cue_is_handed_over_once_before_it_is_due(qtbot: QtBot, tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    seen: list[tuple[float, float]] = []  # (handed at, due at)
    count = len(rig.output.handed)
    while rig.controller.in_play:
        rig.advance(0.25)
        new = rig.output.handed[count:]
        count = len(rig.output.handed)
        seen += [(rig.clock.time, cue.at) for cue in new]
    handed = rig.output.handed
    assert len(handed) == len(set(handed)) > 20  # no cue handed over twice
    assert all(due - handed >= 1.0 for handed, due in seen)  # always a second or more ahead
    assert rig.output.now == []  # nothing had to be played late on the GUI thread


@pytest.mark.parametrize("command", ["pause", "next", "previous", "restart_step", "stop"])
def test_a_command_cancels_what_was_handed_over(qtbot: QtBot, tmp_path: Path, command: str) -> None:
    rig = Rig(tmp_path)
    rig.advance(3)
    cancels = rig.output.cancels
    handed = len(rig.output.handed)
    getattr(rig.controller, command)()
    assert rig.output.cancels > cancels
    if command == "pause":
        assert len(rig.output.handed) == handed  # nothing new while paused
        rig.clock.advance(30)
        rig.controller.resume()
        resumed = rig.output.handed[handed:]
        assert resumed and all(cue.at >= rig.clock.time for cue in resumed)
    elif command != "stop":
        new = rig.output.handed[handed:]
        assert new and new[0].at == rig.clock.time and new[0].interrupt


def test_muting_cancels_and_flashes_instead(qtbot: QtBot, tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    cancels = rig.output.cancels
    rig.settings.set_muted(True)
    assert rig.output.cancels > cancels
    handed = len(rig.output.handed)
    with qtbot.waitSignal(rig.cues.visual_cue, timeout=1000):
        rig.advance(3)
    assert len(rig.output.handed) == handed


def test_on_a_fake_clock_cues_are_played_when_due_not_handed_ahead(qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    controller = SessionController(rig.cues, rig.settings, rig.clock)  # a test's fake clock
    assert rig.controller.session is not None
    plan = rig.controller.session.plan
    rig.controller.close_session()
    handed = len(rig.output.handed)
    assert controller.start(plan)
    new = rig.output.handed[handed:]
    assert len(new) == 1 and new[0].at != rig.clock.time  # the lead-in's cue, due now


def test_a_clip_that_fails_flashes_and_the_rest_keep_playing(qtbot: QtBot, tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    with qtbot.waitSignal(rig.cues.visual_cue, timeout=1000):
        rig.output.fail_clip(Path("broken.wav"))
    assert rig.cues.sound_works and rig.cues.schedules_ahead
    handed = len(rig.output.handed)
    rig.advance(3)
    assert len(rig.output.handed) > handed
