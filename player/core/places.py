"""Places in a routine file named as a physio reads them, not as a program counts them.

A problem is found at a field path such as ``blocks[1].steps[3].hold`` (zero-based, for
programs). :func:`name_places` gives every problem a ``where`` that says the same thing the
way the file's author thinks of it: ``block 'Strength', step 4 (Leg raise), hold``, counting
from one and naming blocks, steps and exercises by what the file calls them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from player.core.problems import Problem, shown
from player.core.text import has_visible, strip_controls
from player.core.yamlsafe import MAP, SCALAR, SEQ, Node

#: How blocks, steps and own exercises are named; {n} counts from 1.
BLOCK_NAMED = "block '{name}'"
BLOCK_NUMBERED = "block {n}"
STEP_NAMED = "step {n} ({name})"
STEP_NUMBERED = "step {n}"
EXERCISE_DEFINED = "exercise `{id}`"
LINE_OF = "line {n}"
ITEM_OF = "item {n}"
#: The names steps without an exercise are given in a place.
STEP_KIND_NAMES = {"rest": "rest", "ice": "ice", "heat": "heat", "cadence": "cadence drill"}
#: Fields that hold lines of text: their items are "line N", others' "item N".
LINE_FIELDS = frozenset({"instructions", "feel", "cautions", "sources"})
#: Longest name shown in a place.
NAME_CHARS = 40

_TOKEN = re.compile(r"\[(\d+)\]|\.?((?:[^.\[]|\[(?!\d+\]))+)")
_STEP_KINDS = ("exercise", "rest", "ice", "heat", "cadence")


def name_places(problems: Iterable[Problem], root: Node | None,
                exercise_names: Mapping[str, str]) -> tuple[Problem, ...]:
    """``problems`` with ``where`` filled in from their paths, using the names in ``root`` and
    ``exercise_names`` (exercise id to name, for steps)."""
    return tuple(dataclasses.replace(p, where=place(p.path, root, exercise_names))
                 if p.path and not p.where else p for p in problems)


def place(path: str, root: Node | None, exercise_names: Mapping[str, str]) -> str:
    """The place of ``path`` as a physio reads it (see the module docstring)."""
    parts: list[tuple[str, bool]] = []  # (text, is a plain field name)
    node = root
    parent_key = ""
    for depth, (index_text, key) in enumerate(_TOKEN.findall(path)):
        if index_text:
            i = int(index_text)
            child = node.value[i] if node is not None and node.kind == SEQ \
                and i < len(node.value) else None
            label = _item(parent_key, i, child, depth, exercise_names)
            if label and parts and parts[-1] == (parent_key, True):
                parts.pop()  # `blocks` + `[1]` is one place: block 'Strength'
            elif not label:
                label = (LINE_OF if parent_key in LINE_FIELDS else ITEM_OF).format(n=i + 1)
            parts.append((label, False))
            node = child
        else:
            child = node.value.get(key) if node is not None and node.kind == MAP else None
            if parent_key == "exercises" and depth == 1 and parts and parts[-1] == (
                    "exercises", True):
                parts[-1] = (EXERCISE_DEFINED.format(id=shown(key, NAME_CHARS)), False)
            else:
                parts.append((key, parent_key != "progression"))  # `week 3` is a place
            parent_key = key
            node = child
    return _join(parts)


def _item(field: str, i: int, node: Node | None, depth: int,
          exercise_names: Mapping[str, str]) -> str:
    """The name of a block or a step, or "" for an item of any other list."""
    if field == "blocks" and depth == 1:
        name = _text(node, "name")
        return BLOCK_NAMED.format(name=name) if name else BLOCK_NUMBERED.format(n=i + 1)
    if field == "steps":
        name = _step_name(node, exercise_names)
        return STEP_NAMED.format(n=i + 1, name=name) if name else STEP_NUMBERED.format(n=i + 1)
    return ""


def _text(node: Node | None, key: str) -> str:
    """The visible text of ``node``'s ``key``, made safe and short for a place, or ""."""
    if node is None or node.kind != MAP:
        return ""
    child = node.value.get(key)
    if child is None or child.kind != SCALAR or not isinstance(child.value, str):
        return ""
    text = strip_controls(child.value).strip()
    return shown(text, NAME_CHARS) if has_visible(text) else ""


def _step_name(node: Node | None, exercise_names: Mapping[str, str]) -> str:
    if node is None or node.kind != MAP:
        return ""
    kind = next((k for k in _STEP_KINDS if k in node.value), None)
    if kind == "exercise":
        ex_id = _text(node, "exercise")
        return shown(exercise_names.get(ex_id, ex_id), NAME_CHARS) if ex_id else ""
    if kind == "cadence":
        return _text(node, "name") or STEP_KIND_NAMES["cadence"]
    return STEP_KIND_NAMES.get(kind or "", "")


def _join(parts: list[tuple[str, bool]]) -> str:
    """Field names after one another joined by dots (``tempo.up``), the rest by commas."""
    out = ""
    previous_plain = False
    for text, plain in parts:
        if not out:
            out = text
        elif plain and previous_plain:
            out += "." + text
        else:
            out += ", " + text
        previous_plain = plain
    return out
