"""Carrying on an interrupted session: only from its own unchanged file, where it left off."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.core import resume as resume_mod
from player.core.clinical import ICE_MAX_SECONDS
from player.core.history import Session, routine_file_hash
from player.core.loader import Library, load_library
from player.core.plan import MIN_RESUMED_SECONDS
from player.core.resume import (
    ALL_DONE,
    CHANGED,
    GONE,
    NOT_FOUND,
    UNREADABLE,
    ResumeCheck,
    check_resume,
)
from player.core.routine import ExerciseStep
from player.core.timeline import StepKind

# Week 1: 0 lead-in 5 s, 1 plank 20 s, 2 rest 10 s, 3 plank 20 s, 4 glute bridge 10 x 5 s,
# 5 ice, 6 rest 1 min. From week 3: planks 40 s, bridge 12 x 5 s.
ROUTINE = """\
format: 1
title: Resume me
schedule: {{times_per_week: 3, weeks: 6}}
defaults: {{lead_in: 5s, rest_between_sets: 10s, rest_after: 0s}}
blocks:
  - name: Strength
    steps:
      - exercise: plank
        hold: 20s
        sets: 2
        progression: {{week 3: {{hold: 40s}}}}
      - exercise: glute_bridge
        reps: 10
        tempo: {{up: 2s, hold: 1s, down: 2s}}
        progression: {{week 3: {{reps: 12}}}}
  - name: Ice
    steps:
      - ice: {ice}
      - rest: 1m
"""
LEAD_IN, PLANK_1, REST, PLANK_2, BRIDGE, ICE, SKIN_REST = range(7)

CET = timezone(timedelta(hours=1))
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=CET)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def write(tmp_path: Path, ice: str = "12m", name: str = "resume.yaml") -> Path:
    path = tmp_path / name
    path.write_text(ROUTINE.format(ice=ice), encoding="utf-8")
    return path


def stored(path: Path | None, *, file_hash: str | None = None, week: int = 1,
           current_step: int | None = None, current_elapsed: float = 0.0,
           variants: tuple[tuple[int, str], ...] = ()) -> Session:
    """An interrupted session of the file at ``path`` as it is now (or of ``file_hash``)."""
    if file_hash is None:
        file_hash = "" if path is None else routine_file_hash(path.read_bytes())
    return Session(id=7, routine_title="Resume me", routine_version="",
                   routine_file_hash=file_hash, started_at=T0, ended_at=None,
                   outcome="in_progress", routine_path="" if path is None else str(path),
                   week=week, variants=variants, current_step=current_step,
                   current_elapsed=current_elapsed)


def check(session: Session, done: range | list[int], library: Library,
          candidates: list[Path] | None = None) -> ResumeCheck:
    return check_resume(session, done, candidates or [], library, dict(library.exercises))


# --- an unchanged file at its stored path ------------------------------------------------------

def test_an_unchanged_file_resumes_after_the_last_step_done(tmp_path: Path,
                                                            library: Library) -> None:
    result = check(stored(write(tmp_path)), [LEAD_IN, PLANK_1], library)
    assert result.problem == "" and result.fresh is None
    plan = result.plan
    assert plan is not None and plan.resumed
    assert plan.start_at == REST
    assert plan.steps[plan.start_at].kind is StepKind.REST
    assert plan.position_label(plan.start_at) == "Step 3 of 7"


def test_a_resume_plays_the_doses_of_the_stored_week(tmp_path: Path, library: Library) -> None:
    path = write(tmp_path)
    week_1 = check(stored(path, week=1), [LEAD_IN, PLANK_1, REST], library).plan
    week_3 = check(stored(path, week=3), [LEAD_IN, PLANK_1, REST], library).plan
    assert week_1 is not None and week_3 is not None
    assert week_3.week == 3
    assert week_1.steps[PLANK_2].duration_seconds == 20
    assert week_3.steps[PLANK_2].duration_seconds == 40
    assert (week_1.steps[BRIDGE].reps, week_1.steps[BRIDGE].duration_seconds) == (10, 50)
    assert (week_3.steps[BRIDGE].reps, week_3.steps[BRIDGE].duration_seconds) == (12, 60)


def test_the_step_in_progress_gets_only_its_remaining_time_of_the_stored_week(
        tmp_path: Path, library: Library) -> None:
    session = stored(write(tmp_path), week=3, current_step=PLANK_2, current_elapsed=15.0)
    plan = check(session, [LEAD_IN, PLANK_1, REST], library).plan
    assert plan is not None
    step = plan.steps[plan.start_at]
    assert (step.origin, step.name) == (PLANK_2, "Plank")
    assert step.duration_seconds == 25.0  # 40 s in week 3, 15 s of it done
    assert step.done_before == 15.0
    following = plan.steps[plan.start_at + 1]
    assert following.start_seconds == pytest.approx(step.start_seconds + 25.0)


def test_a_step_in_progress_nearly_done_still_plays_a_few_seconds(
        tmp_path: Path, library: Library) -> None:
    session = stored(write(tmp_path), current_step=PLANK_2, current_elapsed=19.5)
    plan = check(session, [LEAD_IN, PLANK_1, REST], library).plan
    assert plan is not None
    assert plan.steps[plan.start_at].duration_seconds == MIN_RESUMED_SECONDS


def test_the_easier_variants_chosen_before_are_played_again(tmp_path: Path,
                                                             library: Library) -> None:
    session = stored(write(tmp_path), week=3, current_step=PLANK_2, current_elapsed=10.0,
                     variants=((PLANK_1, "knee_plank"), (REST, "knee_plank"),
                               (PLANK_2, "knee_plank")))
    result = check(session, [LEAD_IN, PLANK_1, REST], library)
    plan = result.plan
    assert plan is not None
    step = plan.steps[plan.start_at]
    assert step.exercise is not None and step.exercise.id == "knee_plank"
    assert (step.origin, step.name) == (PLANK_2, "Plank on knees")
    assert step.duration_seconds == 30.0  # the variant keeps the week's dose
    assert plan.variants == session.variants
    assert plan.steps[BRIDGE].name == "Glute bridge"  # the next exercise is its own


# --- ice and heat ------------------------------------------------------------------------------

def test_ice_interrupted_at_minute_11_of_12_resumes_with_a_minute_at_most(
        tmp_path: Path, library: Library) -> None:
    session = stored(write(tmp_path, ice="12m"), current_step=ICE, current_elapsed=11 * 60)
    plan = check(session, range(ICE), library).plan
    assert plan is not None
    ice = plan.steps[plan.start_at]
    assert ice.kind is StepKind.ICE
    assert ice.duration_seconds is not None and ice.duration_seconds <= 60
    assert ice.done_before + ice.duration_seconds == 12 * 60


@pytest.mark.parametrize(("asked", "elapsed", "left"), [
    ("12m", 11 * 60, 60.0),
    ("12m", 12 * 60 - 1, 1.0),  # no minimum for ice: never more than what is left
    ("20m", 19 * 60, 60.0),
    ("25m", 19 * 60, 60.0),  # capped at 20 minutes: what is left of the 20
    ("25m", 19 * 60 + 59.5, 0.5),
])
def test_resumed_ice_never_exceeds_what_was_left_of_its_20_minute_cap(
        tmp_path: Path, library: Library, asked: str, elapsed: float, left: float) -> None:
    session = stored(write(tmp_path, ice=asked), current_step=ICE, current_elapsed=elapsed)
    plan = check(session, range(ICE), library).plan
    assert plan is not None
    ice = plan.steps[plan.start_at]
    assert ice.kind is StepKind.ICE and ice.duration_seconds is not None
    assert ice.duration_seconds == pytest.approx(left)
    assert elapsed + ice.duration_seconds <= ICE_MAX_SECONDS
    assert ice.done_before + ice.duration_seconds <= ICE_MAX_SECONDS


def test_ice_whose_time_was_used_up_is_not_played_again(tmp_path: Path,
                                                        library: Library) -> None:
    session = stored(write(tmp_path, ice="12m"), current_step=ICE, current_elapsed=12 * 60)
    plan = check(session, range(ICE), library).plan
    assert plan is not None
    assert plan.steps[plan.start_at].origin == SKIN_REST


# --- a file that is gone, changed or no longer loads -------------------------------------------

def test_a_file_that_is_gone_cannot_be_resumed_and_says_where_it_was(
        tmp_path: Path, library: Library) -> None:
    path = write(tmp_path)
    session = stored(path)
    path.unlink()
    result = check(session, [LEAD_IN], library)
    assert result.plan is None and result.fresh is None
    assert result.problem == GONE.format(path=path)
    assert str(path) in result.problem


def test_a_changed_file_cannot_be_resumed_but_offers_the_routine_as_it_is_now(
        tmp_path: Path, library: Library) -> None:
    path = write(tmp_path)
    session = stored(path, week=3, current_step=PLANK_2, current_elapsed=5.0)
    path.write_text(ROUTINE.format(ice="12m").replace("hold: 20s", "hold: 25s"),
                    encoding="utf-8")
    result = check(session, [LEAD_IN, PLANK_1, REST], library)
    assert result.plan is None
    assert result.problem == CHANGED.format(path=path)
    assert str(path) in result.problem
    assert result.fresh is not None
    first = result.fresh.blocks[0].steps[0]
    assert isinstance(first, ExerciseStep)
    assert first.hold == 25.0  # the routine as it is now


@pytest.mark.parametrize("content", [
    b"format: 1\ntitle: [unclosed\n",  # not YAML
    b"format: 1\ntitle: Resume me\nblocks: []\n",  # YAML, but not a routine
    b"format: 1\ntitle: Resume me\nblocks:\n  - name: M\n    steps:\n"
    b"      - exercise: no_such_exercise\n        hold: 20s\n",
    b"\xff\xfe\x00not text",
])
def test_a_file_that_no_longer_loads_cannot_be_resumed(
        tmp_path: Path, library: Library, content: bytes) -> None:
    path = write(tmp_path)
    session = stored(path)
    path.write_bytes(content)
    result = check(session, [LEAD_IN], library)
    assert result.plan is None and result.fresh is None
    assert result.problem == UNREADABLE.format(path=path)


def test_a_file_that_is_there_but_cannot_be_read_is_not_called_gone(
        tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path)
    session = stored(path)
    read_limited = resume_mod.read_limited

    def refused(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return read_limited(self)

    monkeypatch.setattr(resume_mod, "read_limited", refused)  # as root, chmod would not stop it
    result = check(session, [LEAD_IN], library)
    assert result.plan is None and result.fresh is None
    assert result.problem == UNREADABLE.format(path=path)


def test_a_folder_where_the_file_was_counts_as_gone(tmp_path: Path,
                                                    library: Library) -> None:
    path = write(tmp_path)
    session = stored(path)
    path.unlink()
    path.mkdir()
    result = check(session, [LEAD_IN], library)
    assert (result.plan, result.problem) == (None, GONE.format(path=path))


# --- sessions stored without a path ------------------------------------------------------------

def test_without_a_stored_path_the_file_is_found_among_candidates_by_its_hash(
        tmp_path: Path, library: Library) -> None:
    other = write(tmp_path, ice="10m", name="other.yaml")
    played = write(tmp_path, ice="12m", name="played.yaml")
    gone = tmp_path / "gone.yaml"
    session = stored(None, file_hash=routine_file_hash(played.read_bytes()),
                     current_step=ICE, current_elapsed=6 * 60)
    result = check(session, range(ICE), library, candidates=[gone, other, played])
    assert result.problem == ""
    plan = result.plan
    assert plan is not None
    assert plan.routine.path == played
    ice = plan.steps[plan.start_at]
    assert (ice.kind, ice.duration_seconds) == (StepKind.ICE, 6 * 60)


def test_without_a_stored_path_no_matching_candidate_is_not_found(
        tmp_path: Path, library: Library) -> None:
    candidate = write(tmp_path, name="candidate.yaml")
    session = stored(None, file_hash=routine_file_hash(b"some other file"))
    result = check(session, [LEAD_IN], library, candidates=[candidate, tmp_path / "gone.yaml"])
    assert (result.plan, result.problem, result.fresh) == (None, NOT_FOUND, None)


def test_without_a_stored_path_or_hash_nothing_is_found(tmp_path: Path,
                                                        library: Library) -> None:
    candidate = write(tmp_path, name="candidate.yaml")
    session = stored(None, file_hash="")
    result = check(session, [LEAD_IN], library, candidates=[candidate])
    assert (result.plan, result.problem) == (None, NOT_FOUND)


# --- nothing left ------------------------------------------------------------------------------

def test_a_session_with_every_step_done_has_nothing_to_resume(tmp_path: Path,
                                                              library: Library) -> None:
    result = check(stored(write(tmp_path)), range(7), library)
    assert (result.plan, result.problem) == (None, ALL_DONE)


def test_a_session_whose_last_step_was_ice_used_up_has_nothing_to_resume(
        tmp_path: Path, library: Library) -> None:
    path = tmp_path / "ice-last.yaml"
    path.write_text(ROUTINE.format(ice="12m").replace("      - rest: 1m\n", ""),
                    encoding="utf-8")
    session = stored(path, current_step=ICE, current_elapsed=12 * 60)
    result = check(session, range(ICE), library)
    assert (result.plan, result.problem) == (None, ALL_DONE)


# --- the session's own preparation (the drill above the runner's own cadence) ---------------

def test_a_resume_plays_the_routine_as_the_session_prepared_it(library: Library) -> None:
    from player.core.bundled import ROUTINES_DIR
    from player.core.cadence import with_own_cadence

    drill = ROUTINES_DIR / "cadence-drill.yaml"
    session = stored(drill)

    def beats(result: ResumeCheck) -> list[int]:
        assert result.plan is not None and result.plan.resumed
        return [s.bpm for s in result.plan.steps[result.plan.start_at:] if s.bpm]

    def above_160(routine):
        return with_own_cadence(routine, 160)

    as_file = check(session, [0, 1], library)
    prepared = check_resume(session, [0, 1], [], library, dict(library.exercises),
                            prepare=above_160)
    assert beats(as_file) == [173, 173, 182, 182]  # what the file alone says: above 165
    assert beats(prepared) == [168, 168, 176, 176]  # 5 % then 10 % above the runner's 160
