"""The scheduling both cue schedulers share (the app's thread and the cue process): what is due,
how long to sleep, which player is hung, what an exit status says. Times are told, never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.audio import cue_process
from player.audio.schedule import Schedule, exit_verdict
from player.core.ahead import TimedCue

T0 = 5000.0
A, B = Path("a.wav"), Path("b.wav")


def test_it_sleeps_until_the_next_deadline_and_nothing_waits_forever() -> None:
    schedule: Schedule[Path, str] = Schedule()
    assert schedule.timeout(T0) is None and schedule.idle
    schedule.queue.add(TimedCue(T0 + 2, ((T0 + 2, A), (T0 + 2.5, B))))
    assert schedule.timeout(T0) == pytest.approx(2.0)
    assert schedule.pop_due(T0 + 1.999) == ([], [])
    assert schedule.pop_due(T0 + 2) == ([A], [])
    assert schedule.timeout(T0 + 2) == pytest.approx(0.5)
    assert schedule.timeout(T0 + 3) == 0.0  # overdue: at once, never a negative sleep
    assert not schedule.idle


def test_a_running_player_wakes_the_loop_at_its_kill_time_and_is_then_overdue() -> None:
    schedule: Schedule[Path, str] = Schedule()
    assert schedule.started("aplay 1", T0, 0.7) is True  # alone
    assert schedule.started("aplay 2", T0 + 0.1, 3.0) is False  # another one plays
    assert schedule.timeout(T0 + 0.2) == pytest.approx(0.5)
    assert schedule.overdue(T0 + 0.69) == []
    assert [r.handle for r in schedule.overdue(T0 + 0.7)] == ["aplay 1"]
    finished = schedule.finished("aplay 1")
    assert finished is not None and finished.alone
    assert schedule.finished("aplay 1") is None  # told twice: no harm
    assert [r.handle for r in schedule.running] == ["aplay 2"]
    assert schedule.timeout(T0 + 1) == pytest.approx(2.1)
    schedule.finished("aplay 2")
    assert schedule.idle and schedule.timeout(T0 + 1) is None


def test_a_loop_that_cannot_hear_a_player_end_looks_at_it_every_poll_interval() -> None:
    schedule: Schedule[Path, int] = Schedule(poll_interval=0.05)
    schedule.started(41, T0, 10.0)
    assert schedule.timeout(T0) == pytest.approx(0.05)
    woken: Schedule[Path, int] = Schedule()  # woken by the player's end (a pidfd)
    woken.started(41, T0, 10.0)
    assert woken.timeout(T0) == pytest.approx(10.0)


def test_cancel_empties_the_queue_but_players_already_started_stay_watched() -> None:
    schedule: Schedule[Path, int] = Schedule()
    schedule.queue.add(TimedCue(T0 + 1, ((T0 + 1, A),)))
    schedule.started(7, T0, 1.0)
    assert schedule.queue.cancel() == 1
    assert not schedule.idle and [r.handle for r in schedule.running] == [7]


@pytest.mark.parametrize(("status", "alone", "available", "verdict"), [
    (0, True, None, "works"),
    (0, False, False, "works"),
    (1, True, None, "no_sound"),  # the first player, alone, fails: no device
    (1, False, None, "clip_failed"),  # another held the device
    (1, True, True, "clip_failed"),  # sound has worked: this clip is the trouble
    (-9, True, None, "clip_failed"),  # killed by a signal
])
def test_an_exit_status_says_whether_sound_works(status: int, alone: bool,
                                                 available: bool | None, verdict: str) -> None:
    assert exit_verdict(status, alone, available) == verdict


def test_the_wire_cues_queue_as_timed_cues_do() -> None:
    wire = cue_process.decode_cues([[T0, True, [[T0, "a.wav", 2.5], [T0 + 1, "b.wav", "gone"]]]])
    schedule: Schedule[cue_process.Order, int] = Schedule()
    schedule.queue.add_all(wire)
    due, late = schedule.pop_due(T0 + 1)
    assert [(order.path, order.limit, order.deadline) for order in due] == [
        ("a.wav", 2.5, T0), ("b.wav", "gone", T0 + 1)]
    assert late == []


def test_a_refused_priority_is_said_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(cue_process.os, "setpriority", refuse)
    monkeypatch.setattr(cue_process.os, "sched_setscheduler", refuse)
    got = cue_process.raise_priority()
    assert got["nice"].startswith("refused") and "not permitted" in got["nice"]
    assert got["policy"].startswith("SCHED_RR refused")


def test_the_package_gives_its_names_on_first_use_and_no_others() -> None:
    import player.audio as audio
    from player.audio.process_output import CueProcessOutput

    assert audio.CueProcessOutput is CueProcessOutput
    with pytest.raises(AttributeError, match="no_such_output"):
        audio.no_such_output  # noqa: B018
