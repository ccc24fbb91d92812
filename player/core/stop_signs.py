"""Format 1.1's ``stop_if``: the signs a physiotherapist names for stopping one exercise.

A routine writes them per exercise (in its definition) or per step::

    stop_if: [spreading, numbness, {pain_above: 5}, {other: Pain in the front of the knee}]

The player shows them before the exercise, offers them as choices in "This hurts", and a
match stops the exercise and applies the care rule (:func:`care_kind`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

StopKind = Literal["spreading", "numbness", "sharp", "pain_above", "other"]
#: The signs written as one word, in the order the docs list them.
WORDS: tuple[StopKind, ...] = ("spreading", "numbness", "sharp")
#: The signs written as a mapping of one key.
KEYED: tuple[StopKind, ...] = ("pain_above", "other")

#: How each sign reads to the patient ("Stop if ..."); {n}: the rating for ``pain_above``,
#: {text}: the physio's own words for ``other``.
PATIENT_TEXT: dict[StopKind, str] = {
    "spreading": "symptoms spread away from your spine (into your buttock or down a leg)",
    "numbness": "you feel numbness or tingling",
    "sharp": "you feel a sharp or stabbing pain",
    "pain_above": "the pain is above {n} out of 10",
    "other": "{text}",
}
#: The same, as the patient ticks it in "This hurts" (first person).
CHOICE_TEXT: dict[StopKind, str] = {
    "spreading": "My symptoms are spreading away from my spine (buttock or leg)",
    "numbness": "I feel numbness or tingling",
    "sharp": "The pain is sharp or stabbing",
    "pain_above": "The pain is above {n} out of 10",
    "other": "{text}",
}
#: One line before the exercise, and the heading of the choices in "This hurts".
STOP_IF_LINE = "Stop if {sign}."
CHOICES_HEADING = "Your physiotherapist said to stop this exercise if:"


@dataclass(frozen=True)
class StopSign:
    """One ``stop_if`` sign: a word, ``pain_above: N`` (0-9) or ``other: text``."""

    kind: StopKind
    pain_above: int | None = None
    text: str = ""

    def patient_text(self) -> str:
        """``the pain is above 5 out of 10``: how the player and the handout say it."""
        return PATIENT_TEXT[self.kind].format(n=self.pain_above, text=self.text)

    def choice_text(self) -> str:
        """``The pain is above 5 out of 10``: the choice in "This hurts"."""
        return CHOICE_TEXT[self.kind].format(n=self.pain_above, text=self.text)

    def line(self) -> str:
        """``Stop if the pain is above 5 out of 10.``; an ``other`` sign as the physio wrote it,
        its first letter small when its first word is an ordinary capitalised one (``Pain in
        the knee`` reads ``Stop if pain in the knee.``; ``ITB pain`` and ``I feel dizzy``
        stay), without a second full stop."""
        sign = self.patient_text().rstrip(".")
        first = sign.split(" ", 1)[0]
        if self.kind == "other" and len(first) > 1 and first.istitle():
            sign = sign[0].lower() + sign[1:]
        return STOP_IF_LINE.format(sign=sign)


def merged(*groups: Iterable[StopSign]) -> tuple[StopSign, ...]:
    """The signs of every group in order, each once (an exercise's own, then its step's)."""
    return tuple(dict.fromkeys(sign for group in groups for sign in group))


def matched(signs: Iterable[StopSign], chosen: Iterable[StopSign],
            rating: int | None) -> tuple[StopSign, ...]:
    """The signs that say stop: those the person chose, and a ``pain_above`` the rating is
    above."""
    picked = set(chosen)
    return tuple(s for s in signs if s in picked or (
        s.kind == "pain_above" and rating is not None and s.pain_above is not None
        and rating > s.pain_above))


CareKind = Literal["leg_pain", "leg_numb", "stop"]


def care_kind(signs: Iterable[StopSign]) -> CareKind | None:
    """Which care rule a match applies: a leg symptom (``spreading``: pain spreading;
    ``numbness``) leads to the symptom questions as "This hurts" does for a leg; any other sign
    stops the exercise (its easier variant, or skip); None when nothing matched."""
    kinds = {s.kind for s in signs}
    if "spreading" in kinds:
        return "leg_pain"
    if "numbness" in kinds:
        return "leg_numb"
    return "stop" if kinds else None
