"""Plausibility limits per kind of exercise: doses a physiotherapist would not prescribe.

A file over one of these still plays (each is a warning at the value's line, not an error): it
is probably a slip of the unit (``hold: 20m`` for ``20s``), and ``validate`` says so before the
patient meets it. The hard limits a file may not pass at all are in :mod:`player.core.limits`;
the ice and heat caps, which the player enforces, in :mod:`player.core.clinical`.
"""

from __future__ import annotations

from player.core.routine import Exercise

#: Longest plausible plank or side plank hold, per set. Healthy young adults in McGill's
#: normative data held a side bridge for about 1.5 minutes on average and a trunk-flexor hold
#: for about 2.5 (McGill SM, Childs A, Liebenson C. Endurance times for low back stabilization
#: exercises: clinical targets for testing and training from a normal database. Arch Phys Med
#: Rehabil 1999;80:941-4); rehabilitation sets are shorter (10-60 s).
PLANK_HOLD_MAX_SECONDS = 3 * 60
#: Longest plausible static stretch hold, per set and side. ACSM advises 10-30 s (up to 60 s
#: for older adults), and a 60 s hamstring hold did no better than 30 s (Garber CE et al., ACSM
#: position stand, Med Sci Sports Exerc 2011;43:1334-59; Bandy WD, Irion JM, Phys Ther
#: 1994;74:845-50); 2 minutes is twice the longest advised.
STRETCH_HOLD_MAX_SECONDS = 2 * 60
#: Longest plausible single set of any exercise (one hold, or reps x tempo). A product choice:
#: the longest bundled set is a 5-minute easy walk; a set of 30 minutes is a walk or a run, not
#: a home exercise, and most often a minutes-for-seconds slip.
SET_MAX_SECONDS = 30 * 60
#: Longest plausible whole session. A product choice: home programmes for low back pain take
#: 10-45 minutes (the bundled ones 5 minutes to about an hour, ice and heat included); the hard
#: limit a file may not pass is MAX_ROUTINE_SECONDS (8 hours) in player.core.limits.
ROUTINE_MAX_SECONDS = 90 * 60

#: Bundled stretches whose id or name does not say "stretch".
_STRETCH_IDS = frozenset({"knee_to_chest", "childs_pose", "lower_back_rotation"})

# Warnings, worded for the physio who wrote the file ({time}, {limit}: durations as written).
PLANK_TOO_LONG = ("held for {time}, longer than {limit}: more than planks and side planks are "
                  "held in practice (healthy adults hold them about 1.5-2.5 minutes: McGill "
                  "1999); check the time{hint}")
STRETCH_TOO_LONG = ("held for {time}, longer than {limit}: twice the longest stretch hold "
                    "advised (ACSM: 10-30 s, up to 60 s); check the time{hint}")
SET_TOO_LONG = ("one set lasts {time}, longer than {limit}, which is more than a home exercise "
                "set; check the time{hint}")
ROUTINE_TOO_LONG = ("the session lasts {time}{week}, longer than {limit}, which is more than a "
                    "home programme usually takes; it passes {limit} at this step. Check the "
                    "times, or split it into several routines")
#: What a time written in minutes might have meant: {seconds} is the same number in seconds.
MINUTES_FOR_SECONDS = " (did you mean {seconds}s?)"


def hold_kind(exercise: Exercise) -> str:
    """``plank``, ``stretch`` or "" (no kind limit) for an exercise, from its id and name."""
    words = f"{exercise.id} {exercise.name}".lower().replace("_", " ")
    if "plank" in words:
        return "plank"
    if "stretch" in words or exercise.id in _STRETCH_IDS:
        return "stretch"
    return ""


#: The hold limit and warning of each kind.
HOLD_LIMITS = {"plank": (PLANK_HOLD_MAX_SECONDS, PLANK_TOO_LONG),
               "stretch": (STRETCH_HOLD_MAX_SECONDS, STRETCH_TOO_LONG)}
