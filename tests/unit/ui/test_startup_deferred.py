"""What start-up leaves until the window is complete, or until a session needs it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from player.ui.application import finish_startup, show_window
from player.ui.pages.player_view import PlayerView
from tests.unit.ui.test_library import GOOD


def started(make_harness, qapp: QApplication):
    """A harness started up as the real first paint does, without the idle step after it."""
    h = make_harness()
    show_window(h.app)
    finish_startup(h.app)
    h.app.library.wait_until_checked()
    qapp.processEvents()
    return h


def test_start_up_builds_no_player_page_and_the_session_gets_it_with_this_hurts(
        make_harness, qapp: QApplication) -> None:
    h = started(make_harness, qapp)
    assert h.app.care is not None and h.app.care.store is not None
    assert h.window.findChildren(PlayerView) == []
    hurts = h.app.care.hurts_button
    assert hurts.parent() is None
    page = h.window.player  # as a session's start builds it
    assert page.isAncestorOf(hurts)
    assert page.extra_controls.indexOf(hurts) >= 0
    assert h.window.player is page and h.window.findChildren(PlayerView) == [page]
    assert h.app.audio is not None  # built with the page, before the session's first cue


def test_the_audio_output_and_the_preview_pages_follow_the_complete_window(
        make_harness, qapp: QApplication, qtbot) -> None:
    h = started(make_harness, qapp)
    assert h.app.audio is None and h.window.preview.count() == 1
    qtbot.waitUntil(lambda: h.app.audio is not None, timeout=5000)
    assert h.app.cue_player.audio is h.app.audio
    assert h.window.preview.count() == 3
    assert h.window.findChildren(PlayerView) == []  # still not needed


def test_a_session_started_from_the_command_line_hears_its_first_cue(
        make_harness, qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    h = make_harness()
    show_window(h.app, path, start=True)
    finish_startup(h.app, path, start=True)  # no idle moment yet: the session needs sound now
    assert h.app.controller.in_play and h.app.audio is h.output
    assert h.output.played  # the get-ready cue went to the output, not to a flash


def test_start_up_reads_the_sessions_with_their_counts_and_the_history_page_reads_none_again(
        make_harness, qapp: QApplication, isolated_data_dir: Path) -> None:
    from datetime import timedelta

    from player.core.history import StepEvent
    from player.ui.controllers.care_controller import local_now
    from tests.unit.ui.test_care_in_window import stored

    day = local_now() - timedelta(days=3)
    with stored(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Counted", started_at=day)
        for index, status in enumerate(["completed", "completed", "skipped"]):
            store.record_step(StepEvent(sid, index, f"Step {index}", "exercise", status, 2.0,
                                        day))
        store.finish_session(sid, "partly_done", day + timedelta(minutes=5))
    h = started(make_harness, qapp)
    assert h.app.care is not None
    [summary] = h.app.care.sessions()  # what the banner, programme and reminders need
    assert (summary.id, summary.steps_completed, summary.steps_skipped) == (sid, 2, 1)
    store = h.app.care.store
    assert store is not None
    reads: list[object] = []
    real = store.sessions
    store.sessions = lambda **kwargs: reads.append(kwargs) or real(**kwargs)  # type: ignore[method-assign]
    h.app.care.show_history()
    assert reads == []  # the counts are stored with the sessions: read once at start-up
    model = h.app.care._history_view.model  # type: ignore[union-attr]
    row = [model.index(0, column).data() for column in range(5)]
    assert row[1] == "Counted" and row[3:] == ["2", "1"]
