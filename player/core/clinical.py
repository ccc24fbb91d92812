"""Clinical constants the app's rules rest on, each with its source.

Every number a clinician may want to check lives here, named, with the reference it comes from
(see docs/clinical-rules.md and ../shared/design/clinical-notes.md). The app advises; it never
diagnoses. A routine file may make the care thresholds stricter for its patient, never looser:
see :class:`CareThresholds` and :data:`STRICTER_IS_LOWER`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# --- Pain rating scale -------------------------------------------------------------------------
# 0-10 Numeric Rating Scale (NRS): 0 = no pain, 10 = worst pain imaginable.
# Bands 1-3 mild, 4-6 moderate, 7-10 severe (Boonstra et al., Front Psychol 2016).
PAIN_MIN = 0
PAIN_MAX = 10
PAIN_ANCHORS: dict[int, str] = {
    0: "no pain",
    1: "mild",
    2: "mild",
    3: "mild",
    4: "moderate",
    5: "moderate",
    6: "moderate",
    7: "severe",
    8: "severe",
    9: "severe",
    10: "worst pain imaginable",
}

# Minimal clinically important change for low-back pain: 2 NRS points or 30 % of the starting
# value (Ostelo et al., Spine 2008; Suzuki et al., PLoS One 2020 supports 2 points in chronic LBP).
MCID_POINTS = 2
MCID_FRACTION = 0.30

# A rating dated more than 10 minutes ahead of the clock is an error (clinical-notes.md v2,
# "Pain rating"; product decision: a few minutes cover a clock's drift between devices).
FUTURE_TOLERANCE_SECONDS = 10 * 60

# --- Adherence ---------------------------------------------------------------------------------
# A session counts toward adherence when at least this share of the exercise time it planned
# (exercise and cadence steps; rests, lead-ins and ice or heat excluded) was done. 80 % is the
# cut-off adherence research most often uses for "adherent" (Osterberg & Blaschke, N Engl J Med
# 2005; 353:487-97); a product choice for exercise sessions, see docs/clinical-rules.md.
ADHERENT_SHARE = 0.80

# --- Levels of the recent pain (clinical-notes.md v2, "Levels of the recent pain") ----------
# Days are calendar days in the device's zone; "the last N days" is today and the N-1 before.
# Weekly level on day d: median of the resting ratings of days d-6 .. d, when there are at least
# 2 (a prescribed 2 sessions a week must be enough for the rules to work).
WEEKLY_WINDOW_DAYS = 7
WEEKLY_MIN_RATINGS = 2
# Recent level when there is no weekly level today: the median of the last 14 days' resting
# ratings, when there are at least 2 ("from the last two weeks").
RECENT_FALLBACK_DAYS = 14
RECENT_FALLBACK_MIN_RATINGS = 2
# With no recent level today, getting worse and persisting are judged as of the day of the last
# resting rating when that is within the last 28 days (so a warning does not vanish when the
# person stops rating); older than that, those two rules give no advice.
STALE_LIMIT_DAYS = 28

# Episode (clinical-notes.md v2, a product decision: 2 or less is taken as settled): a new one
# starts at a resting rating of 3 or more when every resting rating of the 28 days before its
# day (and earlier on its day), and the last resting rating before it however old, was 2 or
# less; the first resting rating ever starts one too. Its baseline is the median of its resting
# ratings on days 0 .. 6 (its first week), from its first rating on.
EPISODE_START_LEVEL = 3
EPISODE_QUIET_LEVEL = 2
EPISODE_QUIET_DAYS = 28
EPISODE_BASELINE_DAYS = 7

# Reference level for getting worse: the lowest weekly level of days today-35 .. today-7 (the
# best week of the four weeks before this one); else the median of those days' resting ratings
# (at least 1); else the current episode's baseline when the episode began within the last 42
# days.
REFERENCE_FROM_DAYS = 35
REFERENCE_TO_DAYS = 7
REFERENCE_MIN_RATINGS = 1
REFERENCE_EPISODE_MAX_DAYS = 42

# The next-morning check (Silbernagel et al., Am J Sports Med 2007, pain-monitoring model: pain
# worse the next morning is not acceptable). From 04:00 local time on the day after a session,
# until the next session; a check-in serves as the morning-after rating when it is the first
# given then, at most 2 days after the session's day.
MORNING_AFTER_FROM_HOUR = 4
MORNING_AFTER_MAX_DAYS = 2

# --- When to recommend professional care (NICE NG59; ACP 2017; NHS back-pain pages) ------------
# Getting worse: the recent level at least 2 points above the reference level (MCID, Ostelo 2008).
WORSENING_POINTS = MCID_POINTS

# Persisting: moderate or worse (NRS >= 4, Boonstra 2016) ...
PERSISTING_LEVEL = 4
# ... on day 14 of the current episode or later without a 2-point / 30 % improvement from the
# episode's baseline (NHS back pain pages: most back pain improves within 2 weeks) ...
PERSISTING_DAYS = 14
# ... or still >= 4 on day 42 or later whatever the improvement (NHS: settles within 6 weeks;
# ACP, Qaseem et al. 2017: acute < 4 weeks, subacute 4-12, chronic > 12).
PERSISTING_LONG_DAYS = 42

# Repeated severe pain: ratings of 7+ (severe band, Boonstra 2016), of any context, on 2 or more
# different days of the last 7 (so one bad session is not "repeated").
SEVERE_LEVEL = 7
SEVERE_COUNT = 2
SEVERE_WINDOW_DAYS = 7

# Sessions that flare it: of the last 5 sessions of the last 14 days that can be judged, at least
# 3 where the morning-after rating (else the after rating, once the day after has ended) is 2+
# points (MCID) above the before rating (Silbernagel 2007).
SESSIONS_HURT_RISE = MCID_POINTS
SESSIONS_HURT_COUNT = 3
SESSIONS_HURT_WINDOW = 5
SESSIONS_HURT_WINDOW_DAYS = 14

# --- The symptom questions (clinical-notes.md v2, "The symptom questions") --------------------
# The emergency questions are asked again before the first session of each week: 7 days after
# they were last answered (cauda equina safety-netting, Greenhalgh et al. 2018) ...
SYMPTOMS_REASK_DAYS = 7
# ... and at once after any rating at the severe level (7, Boonstra 2016) or a leg-symptom
# "This hurts"; a routine's stricter severe_level asks sooner.

# In session: any mid-session rating of 6 or more (the per-exercise pain check and "This hurts"
# alike; clinical-notes.md v2) means stop this exercise (patient guides for runners: "if you're
# experiencing sharp, stabbing pain ... take a break").
IN_SESSION_STOP_LEVEL = 6

# --- Ice and heat (NHS hospital leaflets; Physio-pedia cryotherapy; Cochrane CD004750) ----------
ICE_MAX_SECONDS = 20 * 60  # never more than 20 minutes per application
HEAT_MAX_SECONDS = 30 * 60  # up to 30 minutes on a low setting
ICE_TYPICAL_SECONDS = (10 * 60, 15 * 60)  # 10-15 minutes typical
HEAT_TYPICAL_SECONDS = (15 * 60, 20 * 60)  # 15-20 minutes typical
SKIN_REST_SECONDS = 20 * 60  # let the skin return to normal temperature between ice and heat
# At least 40 minutes from the end of one ice application to the start of the next, in any
# session (NHS hospital leaflets: 40-60 minutes; Physio-pedia cryotherapy).
ICE_GAP_SECONDS = 40 * 60
# Skin check answered "not normal" (numb, white, blistered, burning): ice and heat are held for
# 24 hours, then the next thermal step first asks whether the skin is back to normal
# (clinical-notes.md v2, a product decision on NHS leaflets' "stop if the skin ...").
SKIN_HOLD_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class CareThresholds:
    """The care-rule thresholds in force for one person.

    Defaults are the cited constants above. A routine file may lower any of them (stricter: the
    banner shows sooner) but never raise them; the loader enforces that with
    :data:`STRICTER_IS_LOWER`.
    """

    worsening_points: int = WORSENING_POINTS
    persisting_level: int = PERSISTING_LEVEL
    persisting_days: int = PERSISTING_DAYS
    persisting_long_days: int = PERSISTING_LONG_DAYS
    severe_level: int = SEVERE_LEVEL
    severe_count: int = SEVERE_COUNT
    sessions_hurt_rise: int = SESSIONS_HURT_RISE
    sessions_hurt_count: int = SESSIONS_HURT_COUNT
    in_session_stop_level: int = IN_SESSION_STOP_LEVEL


#: For every threshold, a lower value is stricter; each must stay >= its minimum.
STRICTER_IS_LOWER: dict[str, tuple[int, str]] = {
    "worsening_points": (1, "points above the reference level that count as getting worse"),
    "persisting_level": (1, "resting level that counts as persisting pain"),
    "persisting_days": (1, "day of the pain episode from which persisting pain is checked"),
    "persisting_long_days": (1, "day of the pain episode from which any pain at the persisting level counts"),
    "severe_level": (1, "rating that counts as severe"),
    "severe_count": (1, "days with a severe rating, within 7 days, that trigger the banner"),
    "sessions_hurt_rise": (1, "points the next-morning (else after-session) rating rises above the before rating to count as a session that flared"),
    "sessions_hurt_count": (1, "sessions that flared, out of the last 5 judged, that trigger the banner"),
    "in_session_stop_level": (1, "mid-session rating at which the exercise is stopped"),
}

DEFAULT_THRESHOLDS = CareThresholds()

assert set(STRICTER_IS_LOWER) == {f.name for f in fields(CareThresholds)}
