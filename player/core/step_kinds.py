"""The kinds of timeline step, in a module of their own: the window's care features and the ice
and heat controller compare step kinds from the first paint on, and need nothing else of the
timeline (which imports the whole routine model)."""

from __future__ import annotations

from enum import StrEnum


class StepKind(StrEnum):
    """What a timeline step is; also the ``kind`` in ``timeline --json``."""

    LEAD_IN = "lead_in"
    EXERCISE = "exercise"
    REST = "rest"
    SWITCH_SIDES = "switch_sides"
    ICE = "ice"
    HEAT = "heat"
    CADENCE = "cadence"
