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

# --- Windows over the rating history (clinical-notes.md, "See a professional soon") -----------
# Baseline: median of resting ratings in the first 7 days of ratings.
BASELINE_WINDOW_DAYS = 7
# Recent level: median of resting ratings in the last 7 days, counted only with >= 3 of them.
RECENT_WINDOW_DAYS = 7
RECENT_MIN_RATINGS = 3

# Getting worse: recent level at least 2 points above baseline (MCID, Ostelo 2008).
WORSENING_POINTS = MCID_POINTS

# Persisting: moderate or worse (NRS >= 4, Boonstra 2016) ...
PERSISTING_LEVEL = 4
# ... at least 14 days after the first rating without a 2-point / 30 % improvement
# (NHS back pain pages: most back pain improves within 2 weeks) ...
PERSISTING_DAYS = 14
# ... or still >= 4 at 42 days whatever the improvement (NHS: settles within 6 weeks;
# ACP, Qaseem et al. 2017: acute < 4 weeks, subacute 4-12, chronic > 12).
PERSISTING_LONG_DAYS = 42

# Repeated severe pain: two or more ratings of 7+ (severe band, Boonstra 2016) in the last 7 days.
SEVERE_LEVEL = 7
SEVERE_COUNT = 2
SEVERE_WINDOW_DAYS = 7

# Sessions that hurt: in at least 3 of the last 5 sessions with both ratings, the after-session
# rating is 2+ points (MCID) above the before-session rating.
SESSIONS_HURT_RISE = MCID_POINTS
SESSIONS_HURT_COUNT = 3
SESSIONS_HURT_WINDOW = 5

# In session: a rating of 6 or more mid-session means stop this exercise (patient guides for
# runners: "if you're experiencing sharp, stabbing pain ... take a break").
IN_SESSION_STOP_LEVEL = 6

# --- Ice and heat (NHS hospital leaflets; Physio-pedia cryotherapy; Cochrane CD004750) ----------
ICE_MAX_SECONDS = 20 * 60  # never more than 20 minutes per application
HEAT_MAX_SECONDS = 30 * 60  # up to 30 minutes on a low setting
ICE_TYPICAL_SECONDS = (10 * 60, 15 * 60)  # 10-15 minutes typical
HEAT_TYPICAL_SECONDS = (15 * 60, 20 * 60)  # 15-20 minutes typical
SKIN_REST_SECONDS = 20 * 60  # let the skin return to normal temperature between ice and heat


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
    "worsening_points": (1, "points above baseline that count as getting worse"),
    "persisting_level": (1, "resting level that counts as persisting pain"),
    "persisting_days": (1, "days after the first rating before persisting pain is checked"),
    "persisting_long_days": (1, "days after which any pain at the persisting level counts"),
    "severe_level": (1, "rating that counts as severe"),
    "severe_count": (1, "severe ratings within 7 days that trigger the banner"),
    "sessions_hurt_rise": (1, "points the after-session rating rises to count as a session that hurt"),
    "sessions_hurt_count": (1, "sessions that hurt, out of the last 5, that trigger the banner"),
    "in_session_stop_level": (1, "mid-session rating at which the exercise is stopped"),
}

DEFAULT_THRESHOLDS = CareThresholds()

assert set(STRICTER_IS_LOWER) == {f.name for f in fields(CareThresholds)}
