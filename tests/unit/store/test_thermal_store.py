"""Ice and heat applications, skin rechecks and the screen: written at once, read back whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core.thermal import SkinRecheck, ThermalApplication, ThermalScreen, decide
from player.store.history import HistoryStore

GMT = timezone(timedelta(0))
BST = timezone(timedelta(hours=1))
T0 = datetime(2024, 3, 31, 0, 30, tzinfo=GMT)  # half an hour before the clocks go forward


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path) as opened:
        yield opened


def test_an_application_is_recorded_as_it_goes(store: HistoryStore) -> None:
    sid = store.start_session(routine_title="Ice then heat", started_at=T0)
    app = store.start_thermal("ice", T0, session_id=sid, step_index=2)
    assert store.thermal_applications() == [
        ThermalApplication("ice", T0, 0.0, T0, None, sid, 2, None, None, app)]
    saved = (T0 + timedelta(minutes=5)).astimezone(BST)
    store.record_thermal_progress(app, 300.0, saved)
    (running,) = store.thermal_applications()
    assert (running.seconds_applied, running.updated_at, running.ended_at) == (300.0, saved, None)
    ended = T0 + timedelta(minutes=15)
    store.finish_thermal(app, 900.0, ended)
    store.record_skin_check(app, "not_normal", ended + timedelta(seconds=20))
    (done,) = store.thermal_applications()
    assert (done.seconds_applied, done.ended_at, done.off_at) == (900.0, ended, ended)
    assert (done.skin, done.skin_at) == ("not_normal", ended + timedelta(seconds=20))


def test_a_killed_application_keeps_its_spent_time_for_the_resume(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path) as first:
        sid = first.start_session(routine_title="Ice", started_at=T0)
        app = first.start_thermal("ice", T0, session_id=sid, step_index=0)
        first.record_thermal_progress(app, 720.0, T0 + timedelta(minutes=12))
        # the app is killed here
    with HistoryStore.open(tmp_path) as second:
        applications = second.thermal_applications()
        decision = decide("ice", 1200, T0 + timedelta(minutes=30), applications=applications,
                          screen=ThermalScreen(T0, False, False, False, False),
                          session_id=sid, step_index=0)
        assert (decision.action, decision.seconds) == ("start", 480.0)
        other = decide("ice", 1200, T0 + timedelta(minutes=30), applications=applications,
                       screen=ThermalScreen(T0, False, False, False, False),
                       session_id=sid + 1, step_index=0)
        assert other.action == "wait"  # another session's ice: 40 minutes from its last save


def test_unknown_applications_are_refused(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="no ice or heat application"):
        store.finish_thermal(99, 10.0, T0)
    with pytest.raises(ValueError, match="no ice or heat application"):
        store.record_skin_check(99, "normal", T0)
    with pytest.raises(ValueError):
        store.start_thermal("sauna", T0)  # type: ignore[arg-type]


def test_rechecks_and_the_screen_round_trip(store: HistoryStore) -> None:
    assert store.latest_thermal_screen() is None
    rechecks = [SkinRecheck(T0, False), SkinRecheck(T0 + timedelta(days=1), True)]
    for r in rechecks:
        store.add_skin_recheck(r)
    assert store.skin_rechecks() == rechecks
    first = ThermalScreen(T0, circulation=False, cold_urticaria=True, reduced_feeling=False,
                          skin_damage=False)
    store.add_thermal_screen(first)
    changed = ThermalScreen(T0 + timedelta(days=2), False, False, False, None)
    store.add_thermal_screen(changed)  # the answers can be changed later
    assert store.latest_thermal_screen() == changed


@pytest.mark.parametrize(("column", "value", "says"), [
    ("at", "yesterday", "its time cannot be read"),
    ("at", "2024-03-31T09:00:00", "its time cannot be read"),  # no offset: not written by us
    ("cold_urticaria", 2, "the answer to cold_urticaria is 2"),
    ("skin_damage", 0.5, "the answer to skin_damage is 0.5"),
])
def test_a_damaged_latest_screen_is_an_error_never_an_earlier_or_empty_answer(
        store: HistoryStore, column: str, value: object, says: str) -> None:
    from player.store.history import DamagedRecordError

    store.add_thermal_screen(ThermalScreen(T0, False, False, False, False))
    store.add_thermal_screen(ThermalScreen(T0 + timedelta(days=1), False, True, False, False))
    conn = store._conn
    # A table rebuilt by another tool may have lost its CHECK constraints.
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(f"UPDATE thermal_screen SET {column} = ? WHERE id = 2", (value,))
    conn.execute("PRAGMA ignore_check_constraints = OFF")
    with pytest.raises(DamagedRecordError) as caught:
        store.latest_thermal_screen()
    assert says in str(caught.value)
    assert "answer the questions again" in str(caught.value)


def _damage(store: HistoryStore, table: str, column: str, value: object, row: int) -> None:
    conn = store._conn
    # A table rebuilt by another tool may have lost its CHECK constraints.
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, row))
    conn.execute("PRAGMA ignore_check_constraints = OFF")


def _three_ices(store: HistoryStore) -> list[int]:
    ids = []
    for n in range(3):
        start = T0 + timedelta(hours=n)
        app = store.start_thermal("ice", start)
        store.finish_thermal(app, 600.0, start + timedelta(minutes=10))
        store.record_skin_check(app, "normal", start + timedelta(minutes=10, seconds=5))
        ids.append(app)
    return ids


@pytest.mark.parametrize(("column", "value", "says"), [
    ("started_at", "yesterday", "its start is 'yesterday', which is not a time"),
    ("ended_at", "2024-03-31T09:00:00", "its end is '2024-03-31T09:00:00'"),  # no offset
    ("updated_at", "2024-13-45T00:00:00+00:00", "its last save is '2024-13-45"),
    ("kind", "steam", "its kind is 'steam', not ice or heat"),
    ("seconds_applied", -5.0, "its time on the skin is -5.0"),
    ("seconds_applied", "ten", "its time on the skin is 'ten'"),
    ("skin", "maybe", "its skin check is 'maybe'"),
    ("step_index", "x", "its session or step is not a number"),
])
def test_a_damaged_application_is_described_and_the_others_still_read(
        tmp_path: Path, column: str, value: object, says: str) -> None:
    from player.store.history import DamagedRecordError

    with HistoryStore.open(tmp_path) as store:
        first, middle, last = _three_ices(store)
        _damage(store, "thermal_applications", column, value, middle)
    with HistoryStore.open(tmp_path) as store:  # read back from the file
        records = store.thermal_records()
        assert [a.id for a in records.applications] == [first, last]
        (damaged,) = records.damaged
        assert damaged.record_id == middle and says in damaged.words
        assert f"number {middle}" in damaged.words
        assert damaged.next_at == T0 + timedelta(hours=2)  # when the next one started
        with pytest.raises(DamagedRecordError, match="is damaged"):
            store.thermal_applications()
        # Nothing recorded is lost or changed: the damaged value is still there as it was.
        assert store._conn.execute(f"SELECT {column} FROM thermal_applications WHERE id = ?",
                                   (middle,)).fetchone() == (value,)


def test_what_can_still_be_read_of_a_damaged_application_is_kept(store: HistoryStore) -> None:
    (app,) = _three_ices(store)[:1]
    _damage(store, "thermal_applications", "kind", "Ice ", app)
    _damage(store, "thermal_applications", "skin", "purple", app)
    (damaged,) = store.thermal_records().damaged
    assert (damaged.kind, damaged.started_at, damaged.ended_at) == (
        None, T0, T0 + timedelta(minutes=10))
    assert damaged.skin_damaged and damaged.skin is None and damaged.seconds_applied == 600.0


@pytest.mark.parametrize(("column", "value", "says"), [
    ("at", "soon", "its time is 'soon'"),
    ("normal", 7, "its answer is 7, not yes or no"),
])
def test_a_damaged_skin_recheck_is_described_and_the_others_still_read(
        store: HistoryStore, column: str, value: object, says: str) -> None:
    for n in range(2):
        store.add_skin_recheck(SkinRecheck(T0 + timedelta(days=n), True))
    _damage(store, "skin_rechecks", column, value, 1)
    records = store.thermal_records()
    assert records.rechecks == (SkinRecheck(T0 + timedelta(days=1), True),)
    (damaged,) = records.damaged
    assert damaged.table == "recheck" and says in damaged.words
    assert damaged.next_at == T0 + timedelta(days=1)
    assert damaged.started_at == (None if column == "at" else T0)
