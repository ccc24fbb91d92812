"""Ice and heat per clinical-notes.md v2: caps, gaps, skin rest, skin holds, the screen.

Pure rules for the player and ``validate`` to call; nothing here reads a clock or a file.

* :func:`routine_gaps`: within a routine, the rest before a heat step after ice (or ice after
  heat) must be at least the skin rest (20 minutes), and between two ice steps at least the ice
  gap (40 minutes from the end of one to the start of the next); each application counts for
  no more than its cap (ice 20 minutes, heat 30).
* :func:`earliest_start`: across sessions, from the recorded applications: ice started less than
  40 minutes after the end of the last ice, in any session, waits ("ice again from HH:MM").
* :func:`remaining_seconds`: an application interrupted (stop, crash) and resumed gets only what
  is left of its cap: the time already spent counts.
* :func:`skin_status`: a skin check answered "not normal" holds ice and heat for 24 hours;
  after that the next thermal step first asks "is your skin back to normal?".
* :data:`THERMAL_SCREEN_QUESTIONS`: the questions asked once before the first ice or heat step
  ever; a yes skips that kind of step, with the reason and advice to ask a clinician.
* :func:`decide`: all of these for one thermal step about to start.
* :func:`rest_extension`: how much longer the rest before a thermal step must be so that the
  step starts when the ice gap and the skin rest allow, instead of waiting after the rest.
* :func:`stand_ins`: a recorded application or skin answer that cannot be read (a damaged
  :class:`DamagedThermal`) counts, for all of these, as the safer reading of what it may have
  been (see docs/clinical-rules.md, "Damaged ice and heat records").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Final, Literal, get_args

from player.core.clinical import (
    HEAT_MAX_SECONDS,
    ICE_GAP_SECONDS,
    ICE_MAX_SECONDS,
    SKIN_HOLD_SECONDS,
    SKIN_REST_SECONDS,
)
from player.core.days import elapsed, zone_of
from player.core.history import require_aware

ThermalKind = Literal["ice", "heat"]
THERMAL_KINDS: Final[tuple[ThermalKind, ...]] = get_args(ThermalKind)
GapReason = Literal["ice_gap", "skin_rest"]

SkinResult = Literal["normal", "not_normal"]
"""The skin check after an application: ``not_normal`` is numb, white, blistered or burning."""
SKIN_RESULTS: Final[tuple[SkinResult, ...]] = get_args(SkinResult)

#: Each application's cap, whatever a routine file says.
CAPS: Final[dict[ThermalKind, int]] = {"ice": ICE_MAX_SECONDS, "heat": HEAT_MAX_SECONDS}

# --- User-visible words (one place for translation) ---------------------------------------------
KIND_WORDS: Final[dict[ThermalKind, str]] = {"ice": "ice", "heat": "heat"}
ICE_AGAIN_FROM: Final = "Ice again from {time}: at least 40 minutes between ice applications."
SKIN_REST_UNTIL: Final = ("{kind} from {time}: your skin needs 20 minutes to return to its "
                          "normal temperature between ice and heat.")
HELD_UNTIL: Final = ("Ice and heat are paused until {time}, because your skin was not normal "
                     "after the last application.")
ASK_SKIN_BACK: Final = "Is your skin back to normal?"
SCREEN_SKIPPED: Final = "Skipped: you said {reason}. Ask a clinician whether {kind} is safe for you."
TIME_USED: Final = "This {kind} application has already had its full time."
GAP_WARNING: Final = ("{kind} starts {planned} after the last {other} ends, but the skin needs "
                      "{needed} ({why}); {player}")
PLAYER_WAITS: Final = "the player waits until then"
PLAYER_LENGTHENS: Final = "the player lengthens the rest before it"
REST_LENGTHENED: Final = "The rest is {extra} longer: {why}."
DAMAGED_APPLICATION: Final = ("An ice or heat record (number {id}) is damaged: {why}.")
DAMAGED_RECHECK: Final = ("A \"skin back to normal?\" answer (number {id}) is damaged: {why}.")
DAMAGED_SAFE: Final = ("It is kept as it is. Until it is put right, the app takes the safer "
                       "reading of it: a pack that may have come off at the latest time it "
                       "could have (just now, when no time of it can be read), so the gaps "
                       "between packs apply from then; and, where a skin check of it cannot be "
                       "read, skin that was not normal.")
MINUTES: Final = ("1 minute", "{n} minutes")
SECONDS: Final = ("1 second", "{n} seconds")
GAP_WHY: Final[dict[GapReason, str]] = {
    "ice_gap": "at least 40 minutes from the end of one ice application to the next",
    "skin_rest": "at least 20 minutes between ice and heat",
}


# --- Records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThermalApplication:
    """One ice or heat application as recorded: started, how many seconds were applied, last
    saved at ``updated_at``, ended (None while on, or when the app was killed), its session and
    step, and the skin check at its end."""

    kind: ThermalKind
    started_at: datetime
    seconds_applied: float
    updated_at: datetime
    ended_at: datetime | None = None
    session_id: int | None = None
    step_index: int | None = None
    skin: SkinResult | None = None
    skin_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in THERMAL_KINDS:
            raise ValueError(f"kind must be ice or heat, got {self.kind!r}")
        if self.skin is not None and self.skin not in SKIN_RESULTS:
            raise ValueError(f"skin must be normal or not_normal, got {self.skin!r}")
        for name in ("started_at", "updated_at", "ended_at", "skin_at"):
            value = getattr(self, name)
            if value is not None:
                require_aware(value, name)
        if self.seconds_applied < 0:
            raise ValueError("seconds_applied must be 0 or more")

    @property
    def off_at(self) -> datetime:
        """When it came off the skin: its end, else the last time it was known to be on."""
        return self.ended_at if self.ended_at is not None else self.updated_at


@dataclass(frozen=True)
class SkinRecheck:
    """The answer to "is your skin back to normal?" after a hold."""

    at: datetime
    normal: bool

    def __post_init__(self) -> None:
        require_aware(self.at, "at")


DamagedTable = Literal["application", "recheck"]


@dataclass(frozen=True)
class DamagedThermal:
    """A recorded application (or skin recheck) that is not one the app wrote: edited by hand
    or by a bug. Each field is what could still be read of it (None: unreadable, or for
    ``ended_at`` and ``skin`` also not recorded; a recheck's time is ``started_at``); ``why``
    says what is wrong, in plain words.
    Nothing in the record is changed; :func:`stand_ins` says how the rules count it."""

    table: DamagedTable
    record_id: int
    why: str
    kind: ThermalKind | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None
    ended_at: datetime | None = None
    skin: SkinResult | None = None
    skin_damaged: bool = False
    skin_at: datetime | None = None
    seconds_applied: float | None = None
    session_id: int | None = None
    step_index: int | None = None
    next_at: datetime | None = None
    """When the first readable record of its kind written after it started (or was answered)."""

    @property
    def words(self) -> str:
        """What is damaged, in plain words (the same for the window and the command line)."""
        text = DAMAGED_APPLICATION if self.table == "application" else DAMAGED_RECHECK
        return text.format(id=self.record_id, why=self.why)


@dataclass(frozen=True)
class ScreenQuestion:
    """One question of the screen before the first ice or heat step: the kinds a yes skips."""

    field: str
    question: str
    reason: str
    """What the person said, to complete "Skipped: you said ..."."""
    kinds: frozenset[ThermalKind]


#: The screen asked before the first ice or heat step ever (clinical-notes.md v2; NHS hospital
#: leaflets, Physio-pedia cryotherapy contraindications). User-visible text.
THERMAL_SCREEN_QUESTIONS: Final[tuple[ScreenQuestion, ...]] = (
    ScreenQuestion(
        "circulation",
        "Do you have poor circulation, or Raynaud's (fingers or toes that go white or blue in "
        "the cold)?",
        "you have poor circulation or Raynaud's",
        frozenset({"ice", "heat"}),
    ),
    ScreenQuestion(
        "cold_urticaria",
        "Do you get hives or a rash from cold (cold urticaria)?",
        "you get hives from cold",
        frozenset({"ice"}),
    ),
    ScreenQuestion(
        "reduced_feeling",
        "Do you have diabetes, or any reduced feeling in the skin of your back?",
        "you have diabetes or reduced feeling in your skin",
        frozenset({"ice", "heat"}),
    ),
    ScreenQuestion(
        "skin_damage",
        "Is there broken skin, a rash or swelling where the pack would go?",
        "there is broken skin, a rash or swelling where the pack goes",
        frozenset({"ice", "heat"}),
    ),
)


@dataclass(frozen=True)
class ThermalScreen:
    """Answers to :data:`THERMAL_SCREEN_QUESTIONS` (None: not answered); may be changed later,
    the latest record counts."""

    at: datetime
    circulation: bool | None = None
    cold_urticaria: bool | None = None
    reduced_feeling: bool | None = None
    skin_damage: bool | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "at")

    @property
    def complete(self) -> bool:
        """True when every question is answered."""
        return all(getattr(self, q.field) is not None for q in THERMAL_SCREEN_QUESTIONS)


SCREEN_FIELDS: Final[tuple[str, ...]] = tuple(
    f.name for f in fields(ThermalScreen) if f.name != "at")
assert tuple(q.field for q in THERMAL_SCREEN_QUESTIONS) == SCREEN_FIELDS


# --- Within a routine -----------------------------------------------------------------------------

PlannedKind = Literal["ice", "heat", "rest", "other"]


@dataclass(frozen=True)
class PlannedStep:
    """A step of a routine as the gap rules see it: ice, heat, a rest, or anything else (time
    passes), with its planned seconds and its line in the file, if known."""

    kind: PlannedKind
    seconds: float
    line: int | None = None


@dataclass(frozen=True)
class GapFix:
    """A thermal step that starts too soon after the last one: the time from the end of that one
    to its start is ``planned_seconds`` but must be ``needed_seconds``; the player lengthens the
    rest at ``rest_index`` (the step just before it, or None when that is not a rest: a rest is
    added) by :attr:`extra_seconds`; ``validate`` warns at ``line``."""

    index: int
    kind: ThermalKind
    reason: GapReason
    planned_seconds: float
    needed_seconds: float
    rest_index: int | None
    line: int | None

    @property
    def extra_seconds(self) -> float:
        """How much longer the rest before the step must be."""
        return self.needed_seconds - self.planned_seconds


def gap_warning(fix: GapFix, other: ThermalKind) -> str:
    """What ``validate`` says at a thermal step that starts too soon after *other*: the player
    lengthens the rest just before it, or, when none is, waits before the step."""
    from player.core.durations import format_duration

    return GAP_WARNING.format(kind=KIND_WORDS[fix.kind].capitalize(),
                              planned=format_duration(fix.planned_seconds),
                              other=KIND_WORDS[other], needed=format_duration(fix.needed_seconds),
                              why=GAP_WHY[fix.reason],
                              player=PLAYER_WAITS if fix.rest_index is None else PLAYER_LENGTHENS)


def cap_seconds(kind: ThermalKind) -> int:
    """The longest one application may last (ice 20 minutes, heat 30)."""
    return CAPS[kind]


def capped(kind: ThermalKind, seconds: float) -> float:
    """*seconds*, but no more than the kind's cap."""
    return min(float(seconds), float(CAPS[kind]))


def _need(kind: ThermalKind, since_ice: float | None,
          since_heat: float | None) -> tuple[float, float, GapReason] | None:
    """The strictest (needed, planned, reason) for a step of *kind*, given the seconds since
    the last ice and heat ended; None when nothing is too soon."""
    needs: list[tuple[float, float, GapReason]] = []
    if since_ice is not None:
        if kind == "ice" and since_ice < ICE_GAP_SECONDS:
            needs.append((ICE_GAP_SECONDS - since_ice, since_ice, "ice_gap"))
        elif kind == "heat" and since_ice < SKIN_REST_SECONDS:
            needs.append((SKIN_REST_SECONDS - since_ice, since_ice, "skin_rest"))
    if kind == "ice" and since_heat is not None and since_heat < SKIN_REST_SECONDS:
        needs.append((SKIN_REST_SECONDS - since_heat, since_heat, "skin_rest"))
    return max(needs, default=None)


def routine_gaps(steps: Sequence[PlannedStep]) -> tuple[GapFix, ...]:
    """Every thermal step of *steps* that starts too soon, and the rest it needs before it.

    Time is counted through every step (an exercise between two packs lets the skin recover
    too); each application counts for no more than its cap; once a rest is lengthened, the
    steps after it start that much later.
    """
    fixes: list[GapFix] = []
    clock = 0.0
    ice_end: float | None = None
    heat_end: float | None = None
    for index, step in enumerate(steps):
        if step.kind in ("ice", "heat"):
            kind: ThermalKind = "ice" if step.kind == "ice" else "heat"
            since_ice = None if ice_end is None else clock - ice_end
            since_heat = None if heat_end is None else clock - heat_end
            need = _need(kind, since_ice, since_heat)
            if need is not None:
                extra, planned, reason = need
                rest = index - 1 if index > 0 and steps[index - 1].kind == "rest" else None
                fixes.append(GapFix(index, kind, reason, planned, planned + extra, rest,
                                    step.line))
                clock += extra
            clock += capped(kind, step.seconds)
            if kind == "ice":
                ice_end = clock
            else:
                heat_end = clock
        else:
            clock += max(0.0, step.seconds)
    return tuple(fixes)


# --- Across sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wait:
    """A thermal step must wait until ``until``, and why."""

    until: datetime
    reason: GapReason


def _same_step(app: ThermalApplication, session_id: int | None, step_index: int | None) -> bool:
    return (session_id is not None and app.session_id == session_id
            and app.step_index == step_index)


def earliest_start(kind: ThermalKind, applications: Iterable[ThermalApplication],
                   session_id: int | None = None,
                   step_index: int | None = None) -> Wait | None:
    """When an application of *kind* may start at the earliest, from every recorded one, in
    any session (None: no limit). Ice waits 40 minutes after the end of the last ice; ice and
    heat each wait 20 minutes after the end of the other. The application being resumed
    (*session_id*, *step_index*) does not hold itself back."""
    last: dict[ThermalKind, datetime] = {}
    for app in applications:
        if _same_step(app, session_id, step_index):
            continue
        if app.kind not in last or app.off_at > last[app.kind]:
            last[app.kind] = app.off_at
    waits: list[Wait] = []
    if kind == "ice" and "ice" in last:
        waits.append(Wait(elapsed(last["ice"], ICE_GAP_SECONDS), "ice_gap"))
    other: ThermalKind = "heat" if kind == "ice" else "ice"
    if other in last:
        waits.append(Wait(elapsed(last[other], SKIN_REST_SECONDS), "skin_rest"))
    return max(waits, key=lambda w: w.until, default=None)


def remaining_seconds(kind: ThermalKind, planned_seconds: float,
                      applications: Iterable[ThermalApplication],
                      session_id: int | None, step_index: int | None) -> float:
    """What is left for the application of this session's step: its planned time, capped, less
    the time already applied in it (an interrupted application keeps its spent time)."""
    spent = sum(a.seconds_applied for a in applications
                if a.kind == kind and _same_step(a, session_id, step_index))
    return max(0.0, capped(kind, planned_seconds) - spent)


# --- The skin ---------------------------------------------------------------------------------------

SkinState = Literal["clear", "held", "ask"]


@dataclass(frozen=True)
class SkinStatus:
    """``clear``; ``held`` until ``until`` (24 hours after the skin was last not normal);
    ``ask``: the hold is over but the person has not said the skin is back to normal."""

    state: SkinState
    until: datetime | None = None


def skin_status(applications: Iterable[ThermalApplication], rechecks: Iterable[SkinRecheck],
                now: datetime) -> SkinStatus:
    """Whether ice and heat are held for the skin at *now*."""
    rechecks = list(rechecks)
    bad = [a.skin_at or a.off_at for a in applications if a.skin == "not_normal"]
    bad += [r.at for r in rechecks if not r.normal]
    if not bad:
        return SkinStatus("clear")
    since = max(bad)
    until = elapsed(since, SKIN_HOLD_SECONDS)
    if now < until:
        return SkinStatus("held", until)
    if any(r.normal and r.at >= until for r in rechecks):
        return SkinStatus("clear")
    return SkinStatus("ask", until)


# --- The screen ---------------------------------------------------------------------------------------


def screen_needed(screen: ThermalScreen | None) -> bool:
    """True until every screen question has an answer (asked before the first thermal step)."""
    return screen is None or not screen.complete


def screen_reasons(kind: ThermalKind, screen: ThermalScreen | None) -> tuple[ScreenQuestion, ...]:
    """The screen questions answered yes that skip steps of *kind*."""
    if screen is None:
        return ()
    return tuple(q for q in THERMAL_SCREEN_QUESTIONS
                 if kind in q.kinds and getattr(screen, q.field) is True)


# --- Damaged records ---------------------------------------------------------------------------------


def _application_stand_ins(d: DamagedThermal, now: datetime) -> tuple[list[ThermalApplication], list[SkinRecheck]]:
    kinds: tuple[ThermalKind, ...] = THERMAL_KINDS if d.kind is None else (d.kind,)
    off = max((t for t in (d.updated_at, d.ended_at, d.skin_at) if t is not None), default=None)
    if off is None and d.started_at is not None:  # on for up to its cap
        off = elapsed(d.started_at, max(CAPS[k] for k in kinds))
    known = off is not None
    if off is None:  # no time at all: it came off when the next record was written, or now
        off = d.next_at or now
    seconds = d.seconds_applied
    if seconds is None:  # its time on the skin is unknown: as if it had had its full time
        seconds = float(max(CAPS[k] for k in kinds))
    skin, skin_at, rechecks = d.skin, d.skin_at or off, []
    if d.skin_damaged:
        if known:
            skin = "not_normal"
        else:  # a hold from an unknown time: ask at once instead of holding for ever
            skin = None
            rechecks.append(SkinRecheck(elapsed(off, -SKIN_HOLD_SECONDS), False))
    started = d.started_at if d.started_at is not None and d.started_at <= off else off
    apps = [ThermalApplication(k, started, seconds, off, off, d.session_id, d.step_index,
                               skin, skin_at if skin is not None else None)
            for k in kinds]
    return apps, rechecks


def stand_ins(damaged: Iterable[DamagedThermal],
              now: datetime) -> tuple[list[ThermalApplication], list[SkinRecheck]]:
    """The applications and rechecks the rules count in place of *damaged* records, the safer
    reading of what each may have been (*now* is when the records were read: call this once,
    and keep the result for the run).

    An application counts as ice and heat when its kind cannot be read; as having come off at
    the latest of its times that can be read (its end, last save or skin check; from its start
    alone, after the longest cap), else when the next readable application was started, else
    at *now* (just finished): the ice gap and the skin rest apply from then. Its time on the
    skin, when unreadable, is its full cap. A skin check that cannot be read counts as "not
    normal" (a 24-hour hold from then); when no time of it can be read either, the hold counts
    as over and "is your skin back to normal?" is asked at once (a hold from an unknown time
    would never end). A recheck counts as "not normal" at its time; when its time cannot be
    read, "is your skin back to normal?" is asked, from when the next readable recheck was
    answered, else from *now*.
    """
    require_aware(now, "now")
    apps: list[ThermalApplication] = []
    checks: list[SkinRecheck] = []
    for d in damaged:
        if d.table == "application":
            more_apps, more_checks = _application_stand_ins(d, now)
            apps += more_apps
            checks += more_checks
        elif d.started_at is not None:
            checks.append(SkinRecheck(d.started_at, False))
        else:
            moment = d.next_at or now
            checks.append(SkinRecheck(elapsed(moment, -SKIN_HOLD_SECONDS), False))
    return apps, checks


# --- One step about to start --------------------------------------------------------------------------

ThermalAction = Literal["start", "wait", "skip", "ask_screen", "ask_skin"]


@dataclass(frozen=True)
class ThermalDecision:
    """What to do with a thermal step now: ``start`` it for ``seconds``; ``wait`` until
    ``wait_until`` (or skip it: the person chooses); ``skip`` it; first ask the screen
    (``ask_screen``) or whether the skin is back to normal (``ask_skin``). ``words`` say why,
    in plain words; ``code`` is a stable name for the reason."""

    action: ThermalAction
    seconds: float = 0.0
    wait_until: datetime | None = None
    words: tuple[str, ...] = ()
    code: str = ""


def _clock(at: datetime, now: datetime) -> str:
    """*at*, a time soon after *now*, as HH:MM on the clock now in use."""
    return at.astimezone(zone_of(now)).strftime("%H:%M")


def decide(kind: ThermalKind, planned_seconds: float, now: datetime, *,
           applications: Sequence[ThermalApplication] = (),
           rechecks: Sequence[SkinRecheck] = (),
           screen: ThermalScreen | None = None,
           session_id: int | None = None,
           step_index: int | None = None) -> ThermalDecision:
    """Every ice and heat rule for one step of *kind* about to start at *now*.

    In order: the screen must be complete, and no yes in it may concern *kind*; the skin must
    not be held or waiting for "back to normal"; the step must have time left of its cap; it
    must not start before :func:`earliest_start`. It then runs for its planned time, capped,
    less what an interrupted run of it (the same *session_id* and *step_index*) already
    applied.
    """
    if screen_needed(screen):
        return ThermalDecision("ask_screen", code="screen")
    reasons = screen_reasons(kind, screen)
    if reasons:
        words = tuple(SCREEN_SKIPPED.format(reason=q.reason, kind=KIND_WORDS[kind])
                      for q in reasons)
        return ThermalDecision("skip", words=words, code=f"screen.{reasons[0].field}")
    skin = skin_status(applications, rechecks, now)
    if skin.state == "held":
        assert skin.until is not None
        return ThermalDecision("skip", words=(HELD_UNTIL.format(time=_clock(skin.until, now)),),
                               code="skin_held")
    if skin.state == "ask":
        return ThermalDecision("ask_skin", words=(ASK_SKIN_BACK,), code="skin_ask")
    left = remaining_seconds(kind, planned_seconds, applications, session_id, step_index)
    if left <= 0:
        return ThermalDecision("skip", words=(TIME_USED.format(kind=KIND_WORDS[kind]),),
                               code="time_used")
    wait = earliest_start(kind, applications, session_id, step_index)
    if wait is not None and wait.until > now:
        time = _clock(wait.until, now)
        why = (ICE_AGAIN_FROM.format(time=time) if wait.reason == "ice_gap"
               else SKIN_REST_UNTIL.format(kind=KIND_WORDS[kind].capitalize(), time=time))
        return ThermalDecision("wait", left, wait.until, (why,), wait.reason)
    return ThermalDecision("start", left)


@dataclass(frozen=True)
class RestExtension:
    """The rest before a thermal step must be ``seconds`` longer, for ``reason``."""

    seconds: float
    reason: GapReason

    @property
    def words(self) -> str:
        """What the player says: ``The rest is 35 minutes longer: at least 40 minutes ...``
        (under a minute in seconds, else in minutes rounded up)."""
        n = math.ceil(self.seconds)
        words = SECONDS
        if n >= 60:
            n, words = math.ceil(n / 60), MINUTES
        extra = words[0] if n == 1 else words[1].format(n=n)
        return REST_LENGTHENED.format(extra=extra, why=GAP_WHY[self.reason])


def rest_extension(kind: ThermalKind, planned_seconds: float, rest_ends: datetime, *,
                   applications: Sequence[ThermalApplication] = (),
                   rechecks: Sequence[SkinRecheck] = (),
                   screen: ThermalScreen | None = None,
                   session_id: int | None = None,
                   step_index: int | None = None) -> RestExtension | None:
    """How much longer a rest ending at *rest_ends* must be so that the step of *kind* after
    it starts no sooner than :func:`earliest_start` allows (whole seconds, rounded up, so the
    step never has to wait a moment after it). None when it need not be longer, or when the
    step would not start then anyway (its screen or the skin skips it or asks first: those are
    settled at the step, and a rest is never lengthened for a step that will not play)."""
    decision = decide(kind, planned_seconds, rest_ends, applications=applications,
                      rechecks=rechecks, screen=screen, session_id=session_id,
                      step_index=step_index)
    if decision.action != "wait" or decision.wait_until is None:
        return None
    seconds = math.ceil(decision.wait_until.timestamp() - rest_ends.timestamp())
    if seconds <= 0:
        return None
    reason: GapReason = "ice_gap" if decision.code == "ice_gap" else "skin_rest"
    return RestExtension(float(seconds), reason)
