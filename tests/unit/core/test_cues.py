"""The cue map: which files each engine event plays."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from player.core.bundled import MEDIA_DIR
from player.core.cues import PHRASE_NAMES, TONE_NAMES, CueMap, sequence_offsets
from player.core.engine import (
    AwaitingConfirmation,
    AwaitingDone,
    BarrierConfirmed,
    Beat,
    CountdownSecond,
    EngineEvent,
    Halfway,
    Paused,
    Resumed,
    SessionEngine,
    SessionFinished,
    SessionStarted,
    SkinCheckDue,
    StepFinished,
    StepStarted,
    TempoPhase,
)
from player.core.routine import (
    Block,
    CadenceStep,
    Exercise,
    ExerciseStep,
    HeatStep,
    IceStep,
    RestStep,
    Routine,
    Sides,
    Tempo,
)
from player.core.timeline import StepKind, Timeline, build_timeline
from tests.fakes import FakeClock

ROOT = Path("/media-root")
PLANK = Exercise("plank", "Plank")
BRIDGE = Exercise("glute_bridge", "Glute bridge")
SIDE_PLANK = Exercise("side_plank", "Side plank")
HOMEMADE = Exercise("homemade", "Homemade move")  # no bundled spoken name
SQUAT = Exercise("bodyweight_squat", "Bodyweight squat")

TIMELINE = build_timeline(
    Routine(
        title="Cues",
        blocks=(
            Block(
                "Main",
                (
                    ExerciseStep(PLANK, hold=30, sets=2, rest_between_sets=10),
                    ExerciseStep(SIDE_PLANK, hold=20, sides=Sides.BOTH, rest_after=15),
                    ExerciseStep(HOMEMADE, reps=8),
                    RestStep(20),
                    IceStep(600),
                    HeatStep(900),
                    CadenceStep(bpm=180, seconds=60),
                    ExerciseStep(SQUAT, reps=2, tempo=Tempo(2, 1, 2)),
                ),
            ),
        ),
    )
)
#  0 lead-in, 1 plank set 1, 2 rest, 3 plank set 2 (last), 4 side plank L, 5 switch,
#  6 side plank R, 7 rest, 8 homemade (untimed), 9 rest, 10 ice, 11 heat, 12 cadence, 13 squat
STEPS = TIMELINE.steps


def bundled(path: Path) -> bool:
    """Pretend the bundled library's names exist for every exercise but ``homemade``."""
    return path.parent.name == "exercises" and path.stem != "homemade"


def names(paths: tuple[Path, ...]) -> list[str]:
    """``tones/go``-style short names, relative to the media root."""
    return [f"{p.parent.name}/{p.stem}" for p in paths]


@pytest.fixture
def cues() -> CueMap:
    return CueMap(ROOT, TIMELINE, is_file=bundled)


def started(index: int) -> StepStarted:
    return StepStarted(STEPS[index], at=0.0)


def test_the_timeline_is_the_one_the_comments_describe() -> None:
    assert [s.kind for s in STEPS] == [
        StepKind.LEAD_IN, StepKind.EXERCISE, StepKind.REST, StepKind.EXERCISE, StepKind.EXERCISE,
        StepKind.SWITCH_SIDES, StepKind.EXERCISE, StepKind.REST, StepKind.EXERCISE, StepKind.REST,
        StepKind.ICE, StepKind.HEAT, StepKind.CADENCE, StepKind.EXERCISE,
    ]  # fmt: skip


def test_lead_in_says_get_ready_and_names_the_first_exercise(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(0))) == ["tones/get_ready", "voice/get_ready",
                                                  "exercises/plank"]  # fmt: skip


def test_an_exercise_starts_with_go_and_its_name(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(1))) == ["tones/go", "exercises/plank"]


def test_the_last_set_is_announced(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(3))) == ["tones/go", "voice/last_set", "exercises/plank"]


def test_sided_sets_name_their_side(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(4))) == ["tones/go", "exercises/side_plank",
                                                  "voice/left_side"]  # fmt: skip
    assert names(cues.sounds_for(started(6))) == ["tones/go", "exercises/side_plank",
                                                  "voice/right_side"]  # fmt: skip


def test_switch_sides(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(5))) == ["tones/switch_sides", "voice/switch_sides"]


def test_a_rest_announces_the_next_exercise(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(2))) == ["tones/rest", "voice/rest", "voice/next",
                                                  "exercises/plank"]  # fmt: skip


def test_a_rest_before_something_unnamed_just_says_rest(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(7))) == ["tones/rest", "voice/rest"]  # homemade: no name
    assert names(cues.sounds_for(started(9))) == ["tones/rest", "voice/rest"]  # before ice


def test_an_exercise_without_a_spoken_name_says_go(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(8))) == ["tones/go", "voice/go"]
    assert names(cues.sounds_for(AwaitingDone(STEPS[8], at=0))) == ["voice/done_when_ready"]


def test_an_exercise_own_sound_wins_over_the_bundled_name(tmp_path: Path) -> None:
    own = tmp_path / "my-plank.wav"
    own.write_bytes(b"RIFF")
    bundled_name = tmp_path / "cues" / "voice" / "exercises" / "plank.wav"
    bundled_name.parent.mkdir(parents=True)
    bundled_name.write_bytes(b"RIFF")
    step = STEPS[1]
    cues = CueMap(tmp_path)
    assert cues.sounds_for(StepStarted(step, at=0))[1] == bundled_name
    custom = Exercise("plank", "Plank", sound=own)
    event = StepStarted(dataclasses.replace(step, exercise=custom), at=0)
    assert cues.sounds_for(event)[1] == own
    assert cues.exercise_name(Exercise("plank", "Plank", sound=tmp_path / "gone.wav")) == (
        bundled_name
    )


@pytest.mark.parametrize(("index", "phrase"), [(10, "ice_on"), (11, "heat_on")])
def test_ice_and_heat_ask_for_the_wrapped_pack(cues: CueMap, index: int, phrase: str) -> None:
    step = STEPS[index]
    assert names(cues.sounds_for(started(index))) == ["tones/get_ready", f"voice/{phrase}"]
    assert cues.sounds_for(AwaitingConfirmation(step, at=0)) == ()
    assert names(cues.sounds_for(BarrierConfirmed(step, at=0))) == ["tones/go"]
    assert names(cues.sounds_for(SkinCheckDue(step, at=0))) == ["tones/get_ready",
                                                               "voice/check_skin"]  # fmt: skip


def test_cadence_starts_with_go_and_beats_on_the_metronome(cues: CueMap) -> None:
    assert names(cues.sounds_for(started(12))) == ["tones/go", "voice/go"]
    assert names(cues.sounds_for(Beat(STEPS[12], 5, at=0))) == ["tones/metronome"]


def test_countdown_halfway_and_tempo(cues: CueMap) -> None:
    step = STEPS[13]
    assert names(cues.sounds_for(CountdownSecond(step, 3, at=0))) == ["tones/beep"]
    assert names(cues.sounds_for(Halfway(step, at=0))) == ["tones/halfway", "voice/halfway"]
    for phase in ("up", "hold", "down"):
        event = TempoPhase(step, 1, phase, at=0)
        assert names(cues.sounds_for(event)) == [f"tones/tempo_{phase}"]


def test_the_end_of_a_completed_session_only(cues: CueMap) -> None:
    assert names(cues.sounds_for(SessionFinished(True, at=0))) == ["tones/finished",
                                                                  "voice/finished"]  # fmt: skip
    assert cues.sounds_for(SessionFinished(False, at=0)) == ()


@pytest.mark.parametrize(
    "event",
    [
        SessionStarted(at=0),
        StepFinished(STEPS[1], "completed", 30.0, at=0),
        Paused(at=0),
        Resumed(3.0, at=0),
    ],
)
def test_silent_events(cues: CueMap, event: EngineEvent) -> None:
    assert cues.sounds_for(event) == ()


def test_stale_events_are_silent(cues: CueMap) -> None:
    assert cues.sounds_for(StepStarted(STEPS[1], at=0, stale=True)) == ()
    assert cues.sounds_for(SessionFinished(True, at=0, stale=True)) == ()


def test_spoken_off_keeps_only_the_tones(cues: CueMap) -> None:
    quiet = cues.with_spoken(False)
    assert names(quiet.sounds_for(started(0))) == ["tones/get_ready"]
    assert names(quiet.sounds_for(started(3))) == ["tones/go"]
    assert names(quiet.sounds_for(started(2))) == ["tones/rest"]
    assert names(quiet.sounds_for(started(10))) == ["tones/get_ready"]
    assert names(quiet.sounds_for(SkinCheckDue(STEPS[10], at=0))) == ["tones/get_ready"]
    assert quiet.sounds_for(AwaitingDone(STEPS[8], at=0)) == ()


def test_paths_are_under_the_media_root(cues: CueMap) -> None:
    assert cues.tone("beep") == ROOT / "cues" / "tones" / "beep.wav"
    assert cues.phrase("rest") == ROOT / "cues" / "voice" / "rest.wav"


def test_without_a_timeline_nothing_is_announced_ahead() -> None:
    cues = CueMap(ROOT, is_file=bundled)
    assert names(cues.sounds_for(started(0))) == ["tones/get_ready", "voice/get_ready"]


def every_sound_of_a_session(timeline: Timeline, cues: CueMap) -> set[Path]:
    clock = FakeClock()
    engine = SessionEngine(timeline, clock)
    played: set[Path] = set()
    engine.subscribe(lambda event: played.update(cues.sounds_for(event)))
    engine.start()
    while engine.current is not None:
        engine.confirm_barrier()
        engine.done()
        due = engine.next_due()
        if due is not None:
            clock.set(due)
        engine.tick()
    return played


def test_every_cue_of_a_whole_session_exists_in_the_bundled_media() -> None:
    played = every_sound_of_a_session(TIMELINE, CueMap(MEDIA_DIR, TIMELINE))
    missing = sorted(str(p) for p in played if not p.is_file())
    assert not missing
    used = {p.stem for p in played if p.parent.name == "tones"}
    assert used == TONE_NAMES


def test_every_named_cue_file_exists() -> None:
    cues = CueMap(MEDIA_DIR)
    missing = [p for p in map(cues.tone, TONE_NAMES) if not p.is_file()]
    missing += [p for p in map(cues.phrase, PHRASE_NAMES) if not p.is_file()]
    assert not missing


def test_sequence_offsets_space_the_files_by_their_length() -> None:
    paths = (Path("a.wav"), Path("b.wav"), Path("c.wav"))
    lengths = {"a": 0.5, "b": 1.0, "c": 2.0}
    offsets = sequence_offsets(paths, lambda p: lengths[p.stem], gap=0.25)
    assert offsets == ((0.0, paths[0]), (0.75, paths[1]), (2.0, paths[2]))
