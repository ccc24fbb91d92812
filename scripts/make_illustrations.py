#!/usr/bin/env python3
"""Draw the exercise illustrations as line-art SVG from pose definitions.

    python scripts/make_illustrations.py           write player/content/media/illustrations/<id>.svg
    python scripts/make_illustrations.py --check   exit 1 if a written file is missing or stale

Each picture is one anatomically proportioned figure, placed from a few joint angles or joint
targets, plus simple props (floor, mat, foam roller, chair, wall, towel, cushion, cold and heat
packs) and accent-coloured motion arrows. Most are side views facing right (the app mirrors them
for the other side; lying on the back, the head is on the left so the legs lead to the right).
Where a side view would mislead, the figure faces the viewer instead (the side planks, hip
circles) or, for lower back rotation, is seen in three-quarter view from the side and above,
with the knees' starting position drawn faint. Every drawing is then scaled and centred so that
what it shows (figure, props, arrows; not the floor line or mat) fills its 400x300 card in the
dimension that limits it; the ground is drawn to fit. Pose coordinates are in pixels with y
pointing UP from the floor line; angles are in degrees, counter-clockwise from "pointing
right". Only the standard library is used and the output is deterministic, so running the
script twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "player" / "content" / "media" / "illustrations"

Point = tuple[float, float]

# --- Canvas and palette --------------------------------------------------------------------------
WIDTH, HEIGHT = 400, 300
FLOOR_Y = 262  # SVG y of the floor line; pose y = FLOOR_Y - SVG y
BACKGROUND = "#f6f4ee"
INK = "#2b2d42"  # the figure, near-side limbs
FAR_INK = "#8d99ae"  # limbs on the far side of the body
GHOST_INK = "#c8cdd6"  # where a moving limb starts from, when that is not plain to see
ACCENT = "#e07a5f"  # motion arrows and the working body part, used sparingly
FLOOR_INK = "#b9b3a6"
MAT_FILL = "#d9d3c4"
MAT_EDGE = "#c9c2b1"  # a mat's front edge, where it is seen in depth
PROP_INK = "#b1a994"
ROLLER_FILL = "#a9c5bd"
CLOTH_FILL = "#ffffff"
WALL_FILL = "#ebe7dd"
WALL_INK = "#d6d0c2"
CLOTH_INK = "#a39d90"
COLD_FILL = "#5fa8d3"
HEAT_FILL = "#e4572e"

# --- Body model (a 200 px tall adult; segment ratios after Winter's anthropometric table) -------
HEAD_R = 13.0  # head radius
NECK = 27.0  # shoulder joint to head centre
TORSO = 55.0  # hip joint to shoulder joint
UPPER_ARM = 35.0
FOREARM = 33.0  # elbow to the middle of the hand
THIGH = 47.0
SHIN = 47.0
ANKLE_H = 7.0  # ankle joint above the sole
HEEL = 4.0  # heel behind the ankle joint
FOOT = 20.0  # heel to toes
LIMB_W = 10  # stroke widths
TORSO_W = 20
NECK_W = 9
HALO_W = LIMB_W + 5  # background-coloured outline that separates near limbs from the body
SOLE = LIMB_W / 2  # a foot's centre line sits this far above what it stands on
MAT_H = 8.0  # exercise mat thickness
LYING_Y = MAT_H + TORSO_W / 2  # hip and shoulder height of a body lying on the mat
ROLLER_R = 14.0
STAND_HIP = SOLE + ANKLE_H + SHIN + THIGH  # hip height when standing straight


# --- Geometry helpers ----------------------------------------------------------------------------
def polar(origin: Point, angle: float, length: float) -> Point:
    """Return the point ``length`` px from ``origin`` in direction ``angle`` (degrees, y up)."""
    rad = math.radians(angle)
    return (origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad))


def heading(a: Point, b: Point) -> float:
    """Return the direction from ``a`` to ``b`` in degrees."""
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def lerp(a: Point, b: Point, t: float) -> Point:
    """Return the point a fraction ``t`` of the way from ``a`` to ``b``."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def num(value: float) -> str:
    """Format a coordinate compactly and deterministically (one decimal, no trailing zeros)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def xy(p: Point) -> str:
    """Format a pose point as SVG ``x,y`` (flipping y)."""
    return f"{num(p[0])},{num(FLOOR_Y - p[1])}"


# --- SVG primitives ------------------------------------------------------------------------------
def stroke(points: Sequence[Point], colour: str, width: float, opacity: float = 1.0) -> str:
    """Return a round-capped open polyline through ``points``."""
    d = "M" + " L".join(xy(p) for p in points)
    extra = f' stroke-opacity="{opacity}"' if opacity < 1 else ""
    return f'<path d="{d}" stroke="{colour}" stroke-width="{num(width)}"{extra}/>'


def polygon(points: Sequence[Point], fill: str, rounding: float = 0) -> str:
    """Return a filled closed polygon, its corners rounded by ``rounding`` px if asked."""
    edge = f'stroke="{fill}" stroke-width="{num(rounding)}"' if rounding else 'stroke="none"'
    return f'<path d="M{" L".join(xy(p) for p in points)}Z" fill="{fill}" {edge}/>'


def circle(centre: Point, r: float, fill: str, ink: str = "none", width: float = 0) -> str:
    """Return a circle, optionally outlined."""
    outline = f' stroke="{ink}" stroke-width="{num(width)}"' if width else ' stroke="none"'
    return (
        f'<circle cx="{num(centre[0])}" cy="{num(FLOOR_Y - centre[1])}" r="{num(r)}"'
        f' fill="{fill}"{outline}/>'
    )


def box(x0: float, y0: float, x1: float, y1: float, fill: str, *, ink: str = "", rx: float = 3,
        width: float = 2) -> str:
    """Return a rounded rectangle spanning pose x0..x1 and y0..y1 (y up)."""
    outline = f' stroke="{ink}" stroke-width="{num(width)}"' if ink else ' stroke="none"'
    return (
        f'<rect x="{num(x0)}" y="{num(FLOOR_Y - y1)}" width="{num(x1 - x0)}"'
        f' height="{num(y1 - y0)}" rx="{num(rx)}" fill="{fill}"{outline}/>'
    )


# --- Motion arrows -------------------------------------------------------------------------------
ARROW_W = 4
HEAD_LEN = 11.0
HEAD_HALF = 6.5


def _arrow_head(tip_base: Point, direction: float) -> str:
    """Return a filled arrowhead whose base is centred on ``tip_base``, pointing ``direction``."""
    tip = polar(tip_base, direction, HEAD_LEN)
    left = polar(tip_base, direction + 90, HEAD_HALF)
    right = polar(tip_base, direction - 90, HEAD_HALF)
    return polygon([tip, left, right], ACCENT)


def arrow(points: Sequence[Point], *, both: bool = False) -> list[str]:
    """Return a straight or bent accent arrow along ``points``, headed at the end (or both)."""
    out = [stroke(points, ACCENT, ARROW_W)]
    out.append(_arrow_head(points[-1], heading(points[-2], points[-1])))
    if both:
        out.append(_arrow_head(points[0], heading(points[1], points[0])))
    return out


def arc_points(centre: Point, rx: float, ry: float, start: float, end: float) -> list[Point]:
    """Return points along an elliptical arc from angle ``start`` to ``end`` (6-degree steps)."""
    steps = max(2, math.ceil(abs(end - start) / 6))
    return [
        (
            centre[0] + rx * math.cos(math.radians(start + (end - start) * i / steps)),
            centre[1] + ry * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def arc_arrow(centre: Point, r: float, start: float, end: float, *, ry: float | None = None,
              both: bool = False) -> list[str]:
    """Return a curved accent arrow along a circular (or elliptical) arc, headed at ``end``."""
    return arrow(arc_points(centre, r, r if ry is None else ry, start, end), both=both)


def wave(base: Point, colour: str = HEAT_FILL) -> str:
    """Return a rising wavy line (a heat shimmer) from ``base``, 24 px tall."""
    x, y = base
    return (f'<path d="M{xy(base)} Q{xy((x + 5, y + 6))} {xy((x, y + 12))}'
            f' Q{xy((x - 5, y + 18))} {xy((x, y + 24))}" stroke="{colour}" stroke-width="3"/>')


def motion_lines(origin: Point, angle: float) -> list[str]:
    """Return three short accent dashes from ``origin`` towards ``angle`` (a speed cue)."""
    out = []
    for offset, length in ((-7.0, 9.0), (0.0, 12.0), (7.0, 9.0)):
        start = polar(origin, angle + 90, offset)
        out.append(stroke([start, polar(start, angle, length)], ACCENT, 3))
    return out


# --- Props ---------------------------------------------------------------------------------------
def mat(x0: float, x1: float) -> str:
    """Return an exercise mat lying on the floor between x0 and x1."""
    return box(x0, 0, x1, MAT_H, MAT_FILL, rx=4)


def roller(x: float, ground: float = 0.0) -> list[str]:
    """Return a foam roller seen end-on (a cylinder's circular end) resting at ``x``."""
    centre = (x, ground + ROLLER_R)
    return [circle(centre, ROLLER_R, ROLLER_FILL, INK, 3), circle(centre, 3.5, INK)]


def chair(back_x: float, facing: int) -> list[str]:
    """Return a light side-view chair with its back at ``back_x``, the seat towards ``facing``."""
    seat_y, front_x = 52.0, back_x + 40 * facing
    return [
        stroke([(front_x, 0), (front_x, seat_y), (back_x, seat_y)], PROP_INK, 6),
        stroke([(back_x, 0), (back_x, seat_y + 48)], PROP_INK, 6),
    ]


def wrapped_pack(x0: float, x1: float, fill: str, *, towel: bool) -> list[str]:
    """Return a pack on the low back of a face-down body, over a cloth (or striped towel)."""
    top = LYING_Y + TORSO_W / 2  # the surface of the back
    cloth = [box(x0 - 8, LYING_Y - 6, x1 + 8, top + 4, CLOTH_FILL, ink=CLOTH_INK, rx=4)]
    if towel:
        cloth += [stroke([(x0 - 8, y), (x1 + 8, y)], CLOTH_INK, 2) for y in (LYING_Y, LYING_Y + 4)]
    return [*cloth, box(x0, top + 2, x1, top + 15, fill, ink=INK, rx=6, width=2)]


def wall(x0: float, x1: float, top: float) -> list[str]:
    """Return a stretch of wall behind the figure (parallel to the picture), with a skirting."""
    return [ground(box(x0, 0, x1, top, WALL_FILL, rx=4),
                   stroke([(x0 + 3, 7), (x1 - 3, 7)], WALL_INK, 4))]


def strap(points: Sequence[Point]) -> list[str]:
    """Return a towel or belt pulled along ``points``: a light band with a grey edge."""
    return [stroke(points, CLOTH_INK, 7), stroke(points, CLOTH_FILL, 3)]


def cushion(x0: float, x1: float, ground_y: float, height: float) -> str:
    """Return a small cushion lying on ``ground_y``."""
    return box(x0, ground_y, x1, ground_y + height, CLOTH_FILL, ink=CLOTH_INK, rx=4)


# --- The figure ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bend:
    """A limb posed by the absolute directions of its upper and lower segments.

    ``end`` is the sole's heel-to-toe direction (legs only; default: ankle at neutral).
    ``scale`` shortens the segments to show a limb pointing towards or away from the viewer,
    ``foot`` likewise shortens the foot.
    """

    upper: float
    lower: float
    end: float | None = None
    scale: tuple[float, float] = (1.0, 1.0)
    foot: float = 1.0


@dataclass(frozen=True)
class Reach:
    """A limb whose end joint (ankle or wrist) is placed at (x, y); the knee or elbow is solved.

    ``end``, ``scale`` and ``foot`` are as for :class:`Bend`. A target out of reach gives a
    straight limb pointing at it.
    """

    x: float
    y: float
    end: float | None = None
    scale: tuple[float, float] = (1.0, 1.0)
    foot: float = 1.0


Limb = Bend | Reach


def straight_arm(shoulder: Point, hand: Point) -> Reach:
    """Return a straight arm reaching ``hand``, shortened as if pointing out of the picture."""
    return Reach(*hand, scale=(math.dist(shoulder, hand) / (UPPER_ARM + FOREARM),) * 2)


def foot_on(x: float, ground: float = 0.0) -> Reach:
    """Return a leg target that stands the foot flat with its ankle above ``x``."""
    return Reach(x, ground + SOLE + ANKLE_H, 0.0)


@dataclass(frozen=True)
class Figure:
    """A whole body: the hip joint, the hip-to-shoulder direction and the four limbs.

    ``curve`` bows the spine: positive rounds the back (flexion), negative arches it.
    ``head`` is the direction from the shoulders to the head (default: along the spine).
    ``head_last`` draws the head over the arms (hands behind the head, arms beside it).
    ``highlight`` names parts to colour with the accent: thigh, glute, hip_front, back.
    """

    hip: Point
    trunk: float
    near_leg: Limb
    far_leg: Limb
    near_arm: Limb
    far_arm: Limb
    curve: float = 0.0
    head: float | None = None
    head_last: bool = False
    highlight: tuple[str, ...] = ()


def _limb(root: Point, limb: Limb, upper: float, lower: float, knee_side: float) -> list[Point]:
    """Return [root, middle joint, end joint] for a limb (``knee_side`` +1 legs, -1 arms)."""
    a, b = upper * limb.scale[0], lower * limb.scale[1]
    if isinstance(limb, Bend):
        mid = polar(root, limb.upper, a)
        return [root, mid, polar(mid, limb.lower, b)]
    target = (limb.x, limb.y)
    d = min(max(math.dist(root, target), abs(a - b) + 0.01), a + b)
    cos_root = (a * a + d * d - b * b) / (2 * a * d)
    swing = math.degrees(math.acos(max(-1.0, min(1.0, cos_root))))
    mid = polar(root, heading(root, target) + knee_side * swing, a)
    return [root, mid, polar(mid, heading(mid, target), b)]


def _leg(hip: Point, limb: Limb) -> list[Point]:
    """Return the leg polyline hip, knee, ankle, heel, toes."""
    hip, knee, ankle = _limb(hip, limb, THIGH, SHIN, 1)
    sole = limb.end if limb.end is not None else heading(knee, ankle) + 90
    heel = polar(polar(ankle, sole - 90, ANKLE_H), sole, -HEEL)
    return [hip, knee, ankle, heel, polar(heel, sole, FOOT * limb.foot)]


def _near(points: Sequence[Point]) -> list[str]:
    """Return a near-side limb: dark, over a background halo that skips the root joint."""
    return [stroke([lerp(points[0], points[1], 0.35), *points[1:]], BACKGROUND, HALO_W),
            stroke(points, INK, LIMB_W)]


def _bezier(p0: Point, control: Point, p1: Point, t: float) -> Point:
    """Return the point at ``t`` on a quadratic Bezier curve."""
    return lerp(lerp(p0, control, t), lerp(control, p1, t), t)


def draw_figure(fig: Figure) -> tuple[list[str], dict[str, Point]]:
    """Return the SVG elements of a figure and its named joints (for placing arrows and props)."""
    hip = fig.hip
    shoulder = polar(hip, fig.trunk, TORSO)
    bow = polar(lerp(hip, shoulder, 0.5), fig.trunk + 90, 2 * fig.curve)
    head = polar(shoulder, fig.head if fig.head is not None else heading(bow, shoulder), NECK)
    leg, far_leg = _leg(hip, fig.near_leg), _leg(hip, fig.far_leg)
    arm = _limb(shoulder, fig.near_arm, UPPER_ARM, FOREARM, -1)
    far_arm = _limb(shoulder, fig.far_arm, UPPER_ARM, FOREARM, -1)
    marks = {
        "thigh": stroke([lerp(leg[0], leg[1], 0.25), lerp(leg[0], leg[1], 0.85)], ACCENT, LIMB_W),
        "glute": circle(polar(hip, fig.trunk + 140, 5), 7, ACCENT),
        "hip_front": circle(polar(hip, fig.trunk - 50, 5), 7, ACCENT),
        "back": stroke([_bezier(hip, bow, shoulder, i / 8) for i in range(1, 5)], ACCENT,
                       TORSO_W - 8),
    }
    head_parts = [stroke([shoulder, head], INK, NECK_W), circle(head, HEAD_R, INK)]
    elements = [
        stroke(far_leg, FAR_INK, LIMB_W),
        stroke(far_arm, FAR_INK, LIMB_W),
        f'<path d="M{xy(hip)} Q{xy(bow)} {xy(shoulder)}" stroke="{INK}" stroke-width="{TORSO_W}"/>',
        *([] if fig.head_last else head_parts),
        *_near(leg),
        *[marks[name] for name in fig.highlight],
        *_near(arm),
        *(head_parts if fig.head_last else []),
    ]
    joints = {
        "hip": hip, "shoulder": shoulder, "head": head,
        "knee": leg[1], "heel": leg[3], "toe": leg[4],
        "far_knee": far_leg[1], "far_ankle": far_leg[2],
    }
    return elements, joints


def figure(fig: Figure) -> list[str]:
    """Return just the SVG elements of a figure."""
    return draw_figure(fig)[0]


# --- The figure seen from the front --------------------------------------------------------------
# The same body facing the viewer, for poses whose point is lost side-on (a side plank looks like
# a plank from the side; feet apart and hands on hips do not show). Sides are named by where they
# are from the body's axis, hip to head: "low" is to its right (trunk - 90 degrees), "high" to its
# left; standing, "low" is the picture's right.
SHOULDER_HALF = 21.0  # shoulder joint to the midline
HIP_HALF = 9.0  # hip joint to the midline
CHEST_HALF, WAIST_HALF, PELVIS_HALF = 18.0, 13.0, 15.0  # half widths of the torso's outline
FRONT_FOOT = 9.0  # a foot seen end-on, toes towards the viewer


@dataclass(frozen=True)
class FrontFigure:
    """A body facing the viewer: the point midway between the hip joints, the hip-to-shoulder
    direction and the four limbs (legs end in ``end`` direction feet, FRONT_FOOT long).
    """

    pelvis: Point
    trunk: float
    low_leg: Limb
    high_leg: Limb
    low_arm: Limb
    high_arm: Limb
    head: float | None = None
    shins_behind: bool = False  # knees bent back, away from the viewer: shins in far ink


def _front_leg(hip: Point, limb: Limb, knee_side: float) -> list[Point]:
    """Return the leg polyline hip, knee, ankle, toes for a leg seen from the front."""
    hip, knee, ankle = _limb(hip, limb, THIGH, SHIN, knee_side)
    sole = limb.end if limb.end is not None else heading(knee, ankle)
    return [hip, knee, ankle, polar(ankle, sole, FRONT_FOOT * limb.foot)]


def draw_front(fig: FrontFigure) -> tuple[list[str], dict[str, Point]]:
    """Return the SVG elements of a figure facing the viewer and its named joints."""
    p, axis = fig.pelvis, fig.trunk
    low, high = axis - 90, axis + 90
    neck = polar(p, axis, TORSO)
    head = polar(neck, fig.head if fig.head is not None else axis, NECK)
    waist = polar(p, axis, TORSO * 0.45)
    crotch = polar(p, axis, -7)
    outline = [polar(neck, low, CHEST_HALF), polar(waist, low, WAIST_HALF),
               polar(p, low, PELVIS_HALF), polar(crotch, low, PELVIS_HALF * 0.55),
               polar(crotch, high, PELVIS_HALF * 0.55), polar(p, high, PELVIS_HALF),
               polar(waist, high, WAIST_HALF), polar(neck, high, CHEST_HALF)]
    low_leg = _front_leg(polar(p, low, HIP_HALF), fig.low_leg, 1)
    high_leg = _front_leg(polar(p, high, HIP_HALF), fig.high_leg, -1)
    low_arm = _limb(polar(neck, low, SHOULDER_HALF), fig.low_arm, UPPER_ARM, FOREARM, 1)
    high_arm = _limb(polar(neck, high, SHOULDER_HALF), fig.high_arm, UPPER_ARM, FOREARM, -1)
    if fig.shins_behind:
        legs = [stroke(leg[1:], FAR_INK, LIMB_W) for leg in (low_leg, high_leg)]
        legs += [part for leg in (low_leg, high_leg) for part in _near(leg[:2])]
    else:
        legs = [*_near(low_leg), *_near(high_leg)]
    elements = [
        *legs,
        stroke([neck, head], INK, NECK_W), circle(head, HEAD_R, INK),
        polygon(outline, INK, 8),
        *_near(low_arm), *_near(high_arm),
    ]
    joints = {"pelvis": p, "neck": neck, "head": head, "waist": waist,
              "low_hip": low_leg[0], "low_knee": low_leg[1], "low_ankle": low_leg[2],
              "high_hip": high_leg[0], "high_knee": high_leg[1], "high_ankle": high_leg[2],
              "low_shoulder": low_arm[0], "low_elbow": low_arm[1], "low_hand": low_arm[2],
              "high_shoulder": high_arm[0], "high_hand": high_arm[2]}
    return elements, joints


# --- Shared pose pieces --------------------------------------------------------------------------
SUPINE_HEAD = 180 - math.degrees(math.asin((MAT_H + HEAD_R - LYING_Y) / NECK))
ARM_ALONG_SIDE = Bend(-3, -3)  # lying on the back, head to the left, arms resting by the sides


def supine(hip_x: float, near_leg: Limb, far_leg: Limb, *, near_arm: Limb = ARM_ALONG_SIDE,
           far_arm: Limb = ARM_ALONG_SIDE, highlight: tuple[str, ...] = ()
           ) -> tuple[list[str], dict[str, Point]]:
    """Return a figure lying on its back on the mat, head to the left, hips at ``hip_x``."""
    return draw_figure(Figure((hip_x, LYING_Y), 180, near_leg, far_leg, near_arm, far_arm,
                              head=SUPINE_HEAD, highlight=highlight))


def hook_foot(hip_x: float) -> Reach:
    """Return a leg target for a bent-knee lying position: foot flat near the buttocks."""
    return foot_on(hip_x + 62, MAT_H)


# --- The illustrations ---------------------------------------------------------------------------
Drawing = Callable[[], list[str]]


Ground = Literal["floor", "mat", "none"]


@dataclass(frozen=True)
class Illustration:
    """A registered drawing: its accessible title and what it stands on.

    ``ground`` is "floor" (the floor line), "mat" (an exercise mat on the floor line, as long as
    the figure needs) or "none" (the drawing brings its own ground).
    """

    title: str
    draw: Drawing
    ground: Ground = "floor"


ILLUSTRATIONS: dict[str, Illustration] = {}


def illustration(ident: str, title: str, *, ground: Ground = "floor"
                 ) -> Callable[[Drawing], Drawing]:
    """Register a drawing function under an exercise id with its accessible title."""

    def register(draw: Drawing) -> Drawing:
        ILLUSTRATIONS[ident] = Illustration(title, draw, ground)
        return draw

    return register


@illustration("march_in_place", "March in place")
def march_in_place() -> list[str]:
    """Standing tall, one knee lifted to hip height, the opposite arm swinging forward."""
    hip = (190.0, STAND_HIP)
    elements, j = draw_figure(Figure(
        hip, 91, Bend(2, -92, -20), foot_on(hip[0] + 1), Bend(-122, -108), Bend(-50, 25),
    ))
    knee = j["knee"]
    return [*elements, *arrow([(knee[0] + 26, knee[1] - 40), (knee[0] + 26, knee[1] - 4)])]


@illustration("leg_swing", "Leg swings")
def leg_swing() -> list[str]:
    """Standing side-on to a wall, a hand on it, swinging the outer leg forwards and back.

    The wall is on the body's far side, behind the figure: the far hand rests on it (that arm
    points away from the viewer, so it is seen shortened) and the far leg, nearest the wall,
    is the one stood on.
    """
    hip = (170.0, STAND_HIP)
    shoulder = polar(hip, 91, TORSO)
    on_wall = Bend(-70, 10, scale=(0.55, 0.6))
    elements, _ = draw_figure(Figure(
        hip, 91, Bend(-52, -60), foot_on(hip[0] + 1), Bend(-96, -86), on_wall,
    ))
    top = shoulder[1] + NECK + HEAD_R + 6
    return [*wall(hip[0] - 64, hip[0] + 72, top), *elements,
            *arc_arrow(hip, 114, -128, -38, both=True)]


@illustration("hip_circle", "Hip circles")
def hip_circle() -> list[str]:
    """Seen from the front: feet a little wider than the hips, hands on the hips, the pelvis
    drawing a circle (the far half of the circle drawn faint, behind the body)."""
    x = 200.0
    ankle_y = SOLE + ANKLE_H
    spread = HIP_HALF + 8  # ankles a little wider than the hip joints
    pelvis = (x, ankle_y + math.sqrt((THIGH + SHIN) ** 2 - (spread - HIP_HALF) ** 2) - 0.5)
    hand_y = pelvis[1] + 10
    elements, _ = draw_front(FrontFigure(
        pelvis, 90, Reach(x + spread, ankle_y, -60), Reach(x - spread, ankle_y, -120),
        Reach(x + PELVIS_HALF + 3, hand_y), Reach(x - PELVIS_HALF - 3, hand_y),
    ))
    centre = (x, pelvis[1] + 2)
    back_half = stroke(arc_points(centre, 40, 12, 20, 160), ACCENT, ARROW_W, 0.5)
    return [back_half, *elements, *arc_arrow(centre, 40, 165, 375, ry=12)]


@illustration("bodyweight_squat", "Bodyweight squat")
def bodyweight_squat() -> list[str]:
    """Squat with the hips back, thighs near parallel and arms forward for balance."""
    hip = (180.0, 66.0)
    feet, arms = foot_on(hip[0] + 36), Bend(4, 4)  # both sides alike: the far ones hidden
    return figure(Figure(hip, 52, feet, feet, arms, arms, head=72, curve=-1))


@illustration("reverse_lunge", "Reverse lunge")
def reverse_lunge() -> list[str]:
    """Lunge: back knee low near the floor, front knee over the ankle, torso upright."""
    hip = (190.0, 64.0)
    return figure(Figure(
        hip, 92, foot_on(hip[0] + 48), Reach(hip[0] - 56, 24, -52), Bend(-95, -80),
        Bend(-85, -75),
    ))


def _forearm_plank(shoulder_x: float, support: Point, ground: float = MAT_H) -> tuple[Point, float]:
    """Return the hip and trunk direction of a forearm plank on ``support`` (toes or knees)."""
    shoulder = (shoulder_x, ground + SOLE + UPPER_ARM)
    trunk = heading(support, shoulder)
    return polar(shoulder, trunk + 180, TORSO), trunk


FOREARM_DOWN = Bend(-90, 0)  # elbow under the shoulder, forearm flat on the floor


@illustration("plank", "Plank", ground="mat")
def plank() -> list[str]:
    """Forearm plank: elbows under the shoulders, one straight line from head to heels."""
    hip, trunk = _forearm_plank(285.0, (135.0, MAT_H + 22))
    legs = Bend(trunk + 180, trunk + 180, trunk + 90)
    return [*figure(Figure(hip, trunk, legs, legs, FOREARM_DOWN, FOREARM_DOWN, head=trunk - 4))]


@illustration("knee_plank", "Plank on knees", ground="mat")
def knee_plank() -> list[str]:
    """Forearm plank with the knees down on the mat, shins lifted behind."""
    shoulder_x = 265.0
    hip, trunk = _forearm_plank(shoulder_x, (shoulder_x - TORSO - THIGH + 4, MAT_H + SOLE))
    legs = Bend(trunk + 180, 145, 55)
    return [*figure(Figure(hip, trunk, legs, legs, FOREARM_DOWN, FOREARM_DOWN, head=trunk - 4))]


def _side_plank_pose(support: float, lift: float, elbow_x: float) -> tuple[Point, float]:
    """Return the pelvis and trunk direction of a front-view side plank on the low forearm.

    The low elbow rests on the mat under the low shoulder; the low leg runs straight along the
    body for ``support`` px (both legs: to the ankle; bent knees: to the knee) to a point
    ``lift`` px above the mat's surface plus a sole.
    """
    elbow_y, support_y = MAT_H + SOLE, MAT_H + SOLE + lift

    def rise(angle: float) -> float:  # elbow height minus support height at a trunk angle
        a = math.radians(angle)
        return ((TORSO + support) * math.sin(a) - (SHOULDER_HALF - HIP_HALF) * math.cos(a)
                - UPPER_ARM - (elbow_y - support_y))

    lo, hi = 0.0, 60.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if rise(mid) < 0 else (lo, mid)
    trunk = (lo + hi) / 2
    a = math.radians(trunk)
    pelvis_y = support_y + HIP_HALF * math.cos(a) + support * math.sin(a)
    pelvis_x = elbow_x - TORSO * math.cos(a) - SHOULDER_HALF * math.sin(a)
    return (pelvis_x, pelvis_y), trunk


def _side_plank(legs: Callable[[Point, float], tuple[Limb, Limb]], support: float,
                lift: float, *, shins_behind: bool = False) -> list[str]:
    """Return a front-view side plank: facing the viewer, on the low forearm, top arm up."""
    pelvis, trunk = _side_plank_pose(support, lift, 268.0)
    low_leg, high_leg = legs(pelvis, trunk)
    forearm = Bend(-90, 0, scale=(1, 0.5))  # pointing at the viewer, so seen shortened
    elements, _ = draw_front(FrontFigure(pelvis, trunk, low_leg, high_leg, forearm, Bend(90, 90),
                                         head=trunk + 4, shins_behind=shins_behind))
    top = polar(pelvis, trunk + 90, PELVIS_HALF)
    return [*elements, *arrow([(top[0], top[1] + 12), (top[0], top[1] + 40)])]


@illustration("side_plank", "Side plank", ground="mat")
def side_plank() -> list[str]:
    """Seen from the front: on one forearm and the side of the feet, hips lifted, body straight."""

    def legs(pelvis: Point, trunk: float) -> tuple[Limb, Limb]:
        low_hip = polar(pelvis, trunk - 90, HIP_HALF)
        ankle = polar(low_hip, trunk + 180, THIGH + SHIN)
        top_ankle = polar(ankle, trunk + 90, LIMB_W + 1)  # feet stacked
        return (Bend(trunk + 180, trunk + 180, trunk - 90),
                Reach(*top_ankle, trunk - 90))

    return _side_plank(legs, THIGH + SHIN, 2)


@illustration("side_plank_knees", "Side plank on knees", ground="mat")
def side_plank_knees() -> list[str]:
    """Seen from the front: on one forearm and the knees, shins behind, hips lifted."""

    def legs(pelvis: Point, trunk: float) -> tuple[Limb, Limb]:
        # shins pointing away, so seen shortened; the low one hidden behind its knee
        return Bend(trunk + 180, 116, 150, (1.0, 0.1), 0), Bend(trunk + 180, 116, 150, (1.0, 0.5))

    return _side_plank(legs, THIGH, 0, shins_behind=True)


@illustration("glute_bridge", "Glute bridge", ground="mat")
def glute_bridge() -> list[str]:
    """Lying on the back, feet flat, hips lifted until knees, hips and shoulders line up."""
    shoulder = (130.0, LYING_Y)
    knee_y = MAT_H + SOLE + ANKLE_H + SHIN - 2
    trunk = 180 + math.degrees(math.asin((knee_y - shoulder[1]) / (TORSO + THIGH)))
    hip = polar(shoulder, trunk + 180, TORSO)
    feet = foot_on(hip[0] + 52, MAT_H)
    elements = figure(Figure(
        hip, trunk, feet, feet, ARM_ALONG_SIDE, ARM_ALONG_SIDE, head=SUPINE_HEAD + 8,
        highlight=("glute",),
    ))
    return [*elements, *arrow([(hip[0], hip[1] + 16), (hip[0], hip[1] + 46)])]


@illustration("leg_raise", "Leg raise", ground="mat")
def leg_raise() -> list[str]:
    """Lying on the back, one knee bent, the other leg straight and raised level with it.

    "Level with your bent knee": the raised leg lines up with the bent leg's thigh, so the two
    knees meet. The bent leg is the near one, so its knee is seen and the straight leg, behind
    it, carries the thigh's line on past the knee.
    """
    hip_x = 165.0
    bent = foot_on(hip_x + 76, MAT_H)
    _, j = supine(hip_x, bent, bent)
    thigh = heading(j["hip"], j["knee"])
    elements, j = supine(hip_x, bent, Bend(thigh, thigh))
    reach = THIGH + SHIN + 12
    return [*elements, *arc_arrow(j["hip"], reach, 4, thigh - 6)]


@illustration("heel_slide", "Heel slide", ground="mat")
def heel_slide() -> list[str]:
    """Lying on the back, one knee bent, the other heel sliding out along the mat."""
    hip_x = 150.0
    elements, j = supine(hip_x, Reach(hip_x + 88, MAT_H + SOLE + ANKLE_H - 1, 75),
                         hook_foot(hip_x))
    heel = j["heel"]
    return [*elements,
            *arrow([(heel[0] + 26, MAT_H + 12), (heel[0] + 64, MAT_H + 12)])]


@illustration("bird_dog", "Bird dog", ground="mat")
def bird_dog() -> list[str]:
    """On hands and knees, the opposite arm and leg reaching out level with the back."""
    knee = (160.0, MAT_H + SOLE)
    hip = (knee[0] + 2, knee[1] + THIGH)
    shoulder_y = MAT_H + SOLE + UPPER_ARM + FOREARM
    trunk = math.degrees(math.asin((shoulder_y - hip[1]) / TORSO))
    return [*figure(Figure(
        hip, trunk, Bend(181, 181), Bend(-90, 180, 165), Bend(-88, -90), Bend(6, 6),
        head=trunk - 8,
    ))]


@illustration("bird_dog_leg", "Bird dog, leg only", ground="mat")
def bird_dog_leg() -> list[str]:
    """On hands and knees, both hands on the floor, one leg reaching back level with the back."""
    knee = (160.0, MAT_H + SOLE)
    hip = (knee[0] + 2, knee[1] + THIGH)
    shoulder_y = MAT_H + SOLE + UPPER_ARM + FOREARM
    trunk = math.degrees(math.asin((shoulder_y - hip[1]) / TORSO))
    return [*figure(Figure(
        hip, trunk, Bend(181, 181), Bend(-90, 180, 165), Bend(-88, -90), Bend(-92, -90),
        head=trunk - 8,
    ))]


@illustration("dead_bug", "Dead bug", ground="mat")
def dead_bug() -> list[str]:
    """Lying on the back, knees over the hips: one leg reaching out low, the opposite arm
    lowering back behind the head, the other arm and leg staying up (arm to the ceiling, 90/90).
    """
    hip_x = 165.0
    elements, j = supine(hip_x, Bend(14, 14), Bend(90, 0), near_arm=Bend(88, 88),
                         far_arm=Bend(164, 166))
    start, end = polar(j["hip"], 14, 58), polar(j["hip"], 14, 100)
    return [*elements,
            *arrow([polar(start, -76, 18), polar(end, -76, 18)]),
            *arc_arrow(j["shoulder"], UPPER_ARM + FOREARM + 14, 104, 150)]


@illustration("hamstring_stretch", "Hamstring stretch", ground="mat")
def hamstring_stretch() -> list[str]:
    """Lying on the back, other knee bent and foot flat, one leg raised straight to the ceiling
    with a towel looped round the foot, its ends held in both hands."""
    hip_x = 180.0
    raised = Bend(80, 80)
    _, j = supine(hip_x, raised, hook_foot(hip_x))
    sole = lerp(j["heel"], j["toe"], 0.5)
    hands = polar(j["shoulder"], heading(j["shoulder"], sole), UPPER_ARM + FOREARM - 3)
    grip = Reach(*hands)
    elements, j = supine(hip_x, raised, hook_foot(hip_x), near_arm=grip, far_arm=grip,
                         highlight=("thigh",))
    out = heading(j["heel"], j["toe"]) + 90  # the sole's side, facing the ceiling
    loop = [polar(j["heel"], out, SOLE + 2), polar(j["toe"], out, SOLE + 2)]
    return [*elements, *strap([hands, loop[0]]), *strap([hands, loop[1]])]


@illustration("hip_flexor_stretch", "Hip flexor stretch", ground="mat")
def hip_flexor_stretch() -> list[str]:
    """Half-kneeling, the back knee on a cushion, front foot flat, pelvis forward, upright."""
    cushion_h = 9.0
    knee = (165.0, MAT_H + cushion_h + SOLE)
    hip = polar(knee, 68, THIGH)
    front = foot_on(hip[0] + 58, MAT_H)
    _, j = draw_figure(Figure(hip, 92, front, front, FOREARM_DOWN, FOREARM_DOWN))
    hands = Reach(j["knee"][0] - 4, j["knee"][1] + 8)
    shin = 180 + math.degrees(math.asin(cushion_h / SHIN))  # down to the toes on the mat
    return [cushion(knee[0] - 16, knee[0] + 18, MAT_H, cushion_h), *figure(Figure(
        hip, 92, Bend(248, shin, 180), front, hands, hands, highlight=("hip_front",),
    )), *arrow([(hip[0] - 40, hip[1] + 2), (hip[0] - 16, hip[1] + 2)])]


@illustration("knee_to_chest", "Knee to chest", ground="mat")
def knee_to_chest() -> list[str]:
    """Lying on the back, hugging one knee to the chest, the other knee bent, foot flat."""
    hip_x = 180.0
    knee = polar((hip_x, LYING_Y), 128, THIGH)
    hands = straight_arm((hip_x - TORSO, LYING_Y), polar(knee, 30, 6))
    elements, _ = supine(hip_x, Bend(128, -5), hook_foot(hip_x), near_arm=hands,
                         far_arm=hands, highlight=("back",))
    return [*elements]


def _all_fours(knee_x: float, curve: float, head: float) -> list[str]:
    """Return a figure on hands and knees with the spine rounded (+) or arched (-)."""
    knee = (knee_x, MAT_H + SOLE)
    hip = (knee[0] + 1, knee[1] + THIGH)
    shoulder_y = MAT_H + SOLE + UPPER_ARM + FOREARM - 1
    rise = shoulder_y - hip[1]
    trunk = math.degrees(math.asin(rise / TORSO))
    shin = Bend(-90, 180, 170)
    hands = Reach(hip[0] + math.sqrt(TORSO**2 - rise**2) + 2, MAT_H + SOLE)
    return figure(Figure(hip, trunk, shin, shin, hands, hands, curve=curve, head=head))


@illustration("cat_cow", "Cat cow", ground="mat")
def cat_cow() -> list[str]:
    """Two frames on hands and knees: back rounded up (cat), then gently arched (cow)."""
    return [
        *_all_fours(84, 11, -70),
        *arrow([(112, 100), (112, 126)]),
        *_all_fours(258, -8, 45),
        *arrow([(286, 108), (286, 82)]),
    ]


@illustration("childs_pose", "Child's pose", ground="mat")
def childs_pose() -> list[str]:
    """Kneeling, sitting back on the heels, chest low over the thighs, forehead on the mat,
    arms reaching forward along the mat."""
    knee = (205.0, MAT_H + SOLE)
    hip = polar(knee, 150, THIGH)
    shoulder = (knee[0] + 8, 30.0)
    trunk = heading(hip, shoulder)
    hands = Reach(shoulder[0] + UPPER_ARM + FOREARM - 4, MAT_H + SOLE)
    shin = Bend(heading(hip, knee), 180, 180)
    head = math.degrees(math.asin((MAT_H + HEAD_R + 1 - shoulder[1]) / NECK))
    return [*figure(Figure(
        hip, trunk, shin, shin, hands, hands, curve=7, head=head, head_last=True,
    ))]


@illustration("piriformis_stretch", "Piriformis stretch", ground="mat")
def piriformis_stretch() -> list[str]:
    """Lying on the back in a figure four: the near leg's thigh drawn towards the chest by the
    hands behind it, the far leg's ankle crossed over it just below the knee."""
    hip = (185.0, LYING_Y)
    support = Bend(100, -2)  # thigh towards the chest, shin level
    knee = polar(hip, support.upper, THIGH)
    ankle = polar(lerp(hip, knee, 0.82), 10, 4)  # resting on the thigh, just below the knee
    far_knee = polar(hip, 32, THIGH * 0.75)  # pointing out to the side: seen shortened
    crossed = Bend(32, heading(far_knee, ankle), None, (0.75, math.dist(far_knee, ankle) / SHIN))
    hands = Reach(*polar(lerp(hip, knee, 0.6), 190, 8))
    elements, _ = supine(hip[0], support, crossed, near_arm=hands, far_arm=hands,
                         highlight=("glute",))
    return elements


# A three-quarter view, from the side and above, for the one pose that cannot be read flat:
# knees fallen to the side move across the body, towards the viewer. Scene coordinates: x runs
# from the head to the feet, y is up, z points away from the viewer (the body's far side).
Point3 = tuple[float, float, float]
VIEW_YAW, VIEW_PITCH = 10.0, 46.0  # degrees: turned a little towards the head, looking down
MAT_HALF = 62.0  # half the width of the mat, seen in depth
LEG_SPREAD = 3.0  # each leg's distance from the midline: knees and feet held together
KNEE_DROP = 78.0  # how far the knees have fallen to the side, degrees from upright


def project(p: Point3) -> Point:
    """Return where a scene point is drawn in the three-quarter view."""
    x, y, z = p
    yaw, pitch = math.radians(VIEW_YAW), math.radians(VIEW_PITCH)
    across = x * math.cos(yaw) - z * math.sin(yaw)
    depth = x * math.sin(yaw) + z * math.cos(yaw)
    return (across, y * math.cos(pitch) + depth * math.sin(pitch))


def _roll(p: Point3, angle: float, axis_y: float) -> Point3:
    """Return ``p`` turned ``angle`` degrees about the body's long axis, top towards the viewer."""
    a = math.radians(angle)
    dy, dz = p[1] - axis_y, p[2]
    return (p[0], axis_y + dy * math.cos(a) + dz * math.sin(a), -dy * math.sin(a) + dz * math.cos(a))


@illustration("lower_back_rotation", "Lower back rotation", ground="none")
def lower_back_rotation() -> list[str]:
    """Seen from the side and above: lying on the back, arms out to the sides, the bent knees
    fallen to one side (towards the viewer) from upright (drawn faint), shoulders down."""
    sx, hx, axis_y = 0.0, TORSO, LYING_Y  # shoulders, hips, and the height of the body's axis
    foot_x = hx + 54

    def along(points: Sequence[Point3]) -> list[Point]:
        return [project(p) for p in points]

    def legs_at(drop: float) -> list[list[Point]]:
        out = []
        for side in (1, -1):  # far leg, near leg (knees together, so the legs nearly meet)
            hip = (hx, axis_y, side * LEG_SPREAD)
            ankle = (foot_x, MAT_H + SOLE + ANKLE_H, side * 5.0)
            lift = math.degrees(math.acos(math.dist(hip[:2], ankle[:2]) / (THIGH + SHIN)))
            knee = polar(hip[:2], heading(hip[:2], ankle[:2]) + lift, THIGH)
            foot = _roll(ankle, drop * 0.4, axis_y)  # the feet roll onto their edges
            foot = (foot[0], max(foot[1], MAT_H + SOLE + 2), foot[2])
            toe = (foot[0] + FOOT - HEEL, max(foot[1] - ANKLE_H, MAT_H + SOLE), foot[2])
            out.append(along([hip, _roll((*knee, hip[2]), drop, axis_y), foot, toe]))
        return out

    reach = SHOULDER_HALF + UPPER_ARM + FOREARM
    x0, x1, z0, z1 = sx - NECK - HEAD_R - 4, foot_x + FOOT, -MAT_HALF, MAT_HALF
    mat_top = along([(x0, MAT_H, z0), (x1, MAT_H, z0), (x1, MAT_H, z1), (x0, MAT_H, z1)])
    mat_edge = along([(x0, MAT_H, z0), (x1, MAT_H, z0), (x1, 0, z0), (x0, 0, z0)])
    far_arm, near_arm = (
        along([(sx, axis_y, side * SHOULDER_HALF),
               (sx - 3, MAT_H + SOLE + 3, side * (SHOULDER_HALF + UPPER_ARM)),
               (sx - 6, MAT_H + SOLE, side * reach)])
        for side in (1, -1))
    outline = along([(sx - 3, axis_y, -CHEST_HALF), (sx + TORSO * 0.5, axis_y, -WAIST_HALF),
                     (hx + 3, axis_y, -PELVIS_HALF), (hx + 3, axis_y, PELVIS_HALF),
                     (sx + TORSO * 0.5, axis_y, WAIST_HALF), (sx - 3, axis_y, CHEST_HALF)])
    head = project((sx - NECK, MAT_H + HEAD_R, 0))
    top_leg, under_leg = legs_at(KNEE_DROP)  # the far leg falls over the near one
    start, end = legs_at(0)[1][1], top_leg[1]
    bend = (max(start[0], end[0]) + 34, (start[1] + end[1]) / 2 + 6)
    swing = [_bezier(lerp(start, bend, 0.3), bend, lerp(end, bend, 0.35), i / 8) for i in range(9)]
    return [
        ground(polygon(mat_edge, MAT_EDGE, 4), polygon(mat_top, MAT_FILL, 8)),
        stroke(far_arm, FAR_INK, LIMB_W),
        *[stroke(leg, GHOST_INK, LIMB_W) for leg in legs_at(0)],
        stroke([project((sx, axis_y, 0)), head], INK, NECK_W),
        circle(head, HEAD_R, INK),
        polygon(outline, INK, 14),
        stroke(under_leg, FAR_INK, LIMB_W),
        *_near(top_leg),
        *_near(near_arm),
        *arrow(swing),
    ]


@illustration("pelvic_tilt", "Pelvic tilt", ground="mat")
def pelvic_tilt() -> list[str]:
    """Lying on the back, knees bent, the low back flattening into the mat."""
    hip_x = 170.0
    hands_on_hips = Bend(-6, 38)
    elements, j = supine(hip_x, hook_foot(hip_x), hook_foot(hip_x), near_arm=hands_on_hips,
                         far_arm=hands_on_hips, highlight=("back",))
    low_back = lerp(j["hip"], j["shoulder"], 0.3)
    return [*elements,
            *arrow([(low_back[0], low_back[1] + 46), (low_back[0], low_back[1] + 16)])]


@illustration("position_of_comfort", "Rest and breathe", ground="mat")
def position_of_comfort() -> list[str]:
    """Lying on the back, knees bent and feet flat, hands resting on the stomach."""
    hip_x = 170.0
    hands_on_stomach = Bend(-6, 38)
    elements, _ = supine(hip_x, hook_foot(hip_x), hook_foot(hip_x), near_arm=hands_on_stomach,
                         far_arm=hands_on_stomach)
    return elements


def _long_sit(hip: Point, leg_angle: float) -> Figure:
    """Return a figure sitting with straight legs forward, leaning back on the hands."""
    legs = Bend(leg_angle, leg_angle, leg_angle + 75)
    hands = Reach(hip[0] - 46, SOLE)
    return Figure(hip, 116, legs, legs, hands, hands, head=100)


@illustration("foam_roll_calves", "Foam roll calves")
def foam_roll_calves() -> list[str]:
    """Sitting, hands behind on the floor, one calf on a foam roller, hips lifted, the other
    knee bent with its foot on the floor."""
    hip = (150.0, 2 * ROLLER_R + SOLE + 5)
    calf = polar(hip, -3, THIGH + SHIN * 0.5)
    sitting = _long_sit(hip, -3)
    return [*roller(calf[0]), *figure(replace(sitting, far_leg=foot_on(hip[0] + 34))),
            *arrow([(calf[0] - 32, 76), (calf[0] + 28, 76)], both=True)]


@illustration("foam_roll_hamstrings", "Foam roll hamstrings")
def foam_roll_hamstrings() -> list[str]:
    """Sitting, hands behind on the floor, the backs of the thighs on a foam roller."""
    hip = (160.0, 2 * ROLLER_R + SOLE + 3)
    thigh = polar(hip, -5, THIGH * 0.6)
    return [*roller(thigh[0]), *figure(_long_sit(hip, -5)),
            *arrow([(thigh[0] - 28, 76), (thigh[0] + 28, 76)], both=True)]


@illustration("foam_roll_quads", "Foam roll quads")
def foam_roll_quads() -> list[str]:
    """Face-down on the forearms with the fronts of the thighs on a foam roller."""
    hip, trunk = _forearm_plank(280.0, (100.0, 2 * ROLLER_R + SOLE - 9), 0)
    legs = Bend(trunk + 180, trunk + 180, trunk + 240)
    thigh = polar(hip, trunk + 180, THIGH * 0.55)
    return [*roller(thigh[0]),
            *figure(Figure(hip, trunk, legs, legs, FOREARM_DOWN, FOREARM_DOWN, head=trunk - 4)),
            *arrow([(thigh[0] - 30, 84), (thigh[0] + 30, 84)], both=True)]


@illustration("foam_roll_glutes", "Foam roll glutes")
def foam_roll_glutes() -> list[str]:
    """Sitting on the roller, one ankle crossed over the other knee, a hand behind."""
    hip = (175.0, 2 * ROLLER_R + 6)
    trunk = 128.0
    support = foot_on(hip[0] + 66)
    hand = straight_arm(polar(hip, trunk, TORSO), (hip[0] - 58, SOLE))
    _, j = draw_figure(Figure(hip, trunk, support, support, hand, hand))
    far_knee = j["far_knee"]
    near_knee = polar(hip, 8, THIGH * 0.95)
    ankle = (far_knee[0] - 3, far_knee[1] + 7)
    crossed = Bend(8, heading(near_knee, ankle), 10, (0.95, math.dist(near_knee, ankle) / SHIN),
                   0.8)
    return [*roller(hip[0] - 2), *figure(Figure(
        hip, trunk, crossed, support, hand, hand, head=trunk - 28, highlight=("glute",),
    ))]


@illustration("foam_roll_upper_back", "Foam roll upper back")
def foam_roll_upper_back() -> list[str]:
    """Lying back over a roller at shoulder-blade level, feet flat, hands behind the head."""
    hip = (232.0, 24.0)
    trunk = 154.0
    shoulder = polar(hip, trunk, TORSO)
    head_dir = trunk + 6
    back_of_head = polar(polar(shoulder, head_dir, NECK), head_dir + 90, HEAD_R - 2)
    elbow = polar(shoulder, 96, UPPER_ARM * 0.75)
    hands = Bend(96, heading(elbow, back_of_head), None,
                 (0.75, math.dist(elbow, back_of_head) / FOREARM))
    feet = foot_on(hip[0] + 64)
    return [*roller(lerp(hip, shoulder, 0.78)[0] + 2), *figure(Figure(
        hip, trunk, feet, feet, hands, hands, head=head_dir, head_last=True,
    ))]


@illustration("easy_walk", "Easy walk")
def easy_walk() -> list[str]:
    """Walking mid-stride with a relaxed arm swing."""
    hip = (195.0, STAND_HIP - 4)
    return figure(Figure(
        hip, 92, Reach(hip[0] + 30, SOLE + ANKLE_H + 1, 12), Reach(hip[0] - 34, 24, -30),
        Bend(-112, -100), Bend(-68, -40), head=88,
    ))


@illustration("standing_hip_flexor_stretch", "Standing hip flexor stretch")
def standing_hip_flexor_stretch() -> list[str]:
    """Standing in a long stride, the back leg straight with its heel up, the front knee a
    little bent, the body upright with the hands on the hips and the pelvis pushed forward."""
    hip = (205.0, STAND_HIP - 12)
    hands = Reach(hip[0] + 6, hip[1] + 14, scale=(0.8, 0.8))
    elements, _ = draw_figure(Figure(
        hip, 93, foot_on(hip[0] + 44), Reach(hip[0] - 64, SOLE + ANKLE_H + 5, -55), hands,
        hands, highlight=("hip_front",),
    ))
    return [*elements, *arrow([(hip[0] - 46, hip[1] - 2), (hip[0] - 18, hip[1] - 2)])]


@illustration("standing_back_extension", "Standing back extension")
def standing_back_extension() -> list[str]:
    """Standing with the feet hip-width apart and the hands on the lower back, leaning the
    upper body back a little; the arrow shows the gentle backward bend."""
    hip = (200.0, STAND_HIP)
    hands = Reach(hip[0] - 16, hip[1] + 10, scale=(0.85, 0.85))
    feet = foot_on(hip[0] + 4)
    elements, _ = draw_figure(Figure(hip, 108, feet, feet, hands, hands, curve=-6, head=104,
                                     highlight=("back",)))
    return [*elements, *arc_arrow(hip, TORSO + 44, 78, 116)]


@illustration("quick_feet", "Quick feet")
def quick_feet() -> list[str]:
    """Running on the spot: short quick steps on the forefoot, arms bent."""
    hip = (195.0, STAND_HIP + 4)
    elements, j = draw_figure(Figure(
        hip, 87, Reach(hip[0] + 2, 21, -40), Reach(hip[0] - 12, 36, -62), Bend(-115, -35),
        Bend(-68, 12),
    ))
    return [*elements, *motion_lines((j["toe"][0] + 12, 12), 0),
            *motion_lines((j["heel"][0] - 14, 12), 180)]


def _prone_resting() -> tuple[list[str], dict[str, Point]]:
    """Return a figure lying face-down on the mat, head to the right, arms by the sides."""
    legs = Bend(180, 180, 180)
    arms = Bend(183, 183)
    head = math.degrees(math.asin((MAT_H + HEAD_R - LYING_Y) / NECK))
    return draw_figure(Figure((150.0, LYING_Y), 0, legs, legs, arms, arms, head=head))


@illustration("ice_pack", "Ice pack", ground="mat")
def ice_pack() -> list[str]:
    """Lying face-down with a cold pack, wrapped in a cloth, on the low back."""
    elements, j = _prone_resting()
    x = j["hip"][0]
    flakes = [stroke([polar((x + 15, 64), a, -8), polar((x + 15, 64), a, 8)], COLD_FILL, 3)
              for a in (30, 90, 150)]
    return [*elements, *wrapped_pack(x - 2, x + 32, COLD_FILL, towel=False), *flakes]


@illustration("heat_pack", "Heat pack", ground="mat")
def heat_pack() -> list[str]:
    """Lying face-down with a heat pack, wrapped in a towel, on the low back."""
    elements, j = _prone_resting()
    x = j["hip"][0]
    waves = [wave((x + dx, 52)) for dx in (5, 15, 25)]
    return [*elements, *wrapped_pack(x - 2, x + 32, HEAT_FILL, towel=True), *waves]


@illustration("rest", "Rest")
def rest() -> list[str]:
    """Sitting relaxed on a chair, hands resting on the thighs, breathing easily."""
    hip = (170.0, 62.0)
    elements, j = draw_figure(Figure(
        hip, 95, Reach(hip[0] + 50, SOLE + ANKLE_H, 0), Reach(hip[0] + 46, SOLE + ANKLE_H, 0),
        Reach(hip[0] + 30, hip[1] + 8), Reach(hip[0] + 26, hip[1] + 8), head=92,
    ))
    mouth = polar(j["head"], 0, HEAD_R + 8)
    breath = [stroke(arc_points(mouth, r, r * 1.2, -35, 35), ACCENT, 3) for r in (6.0, 13.0)]
    return [*chair(hip[0] - 24, 1), *elements, *breath]


# --- Placeholder and documents -------------------------------------------------------------------
PLACEHOLDER_TITLE = "No illustration available"


def placeholder() -> list[str]:
    """Return the neutral "no illustration available" icon used when media is missing."""
    frame = '<rect x="150" y="70" width="100" height="80" rx="8" fill="none" stroke="#8d99ae"' \
            ' stroke-width="6"/>'
    hills = '<path d="M160 140 L188 108 L206 128 L218 116 L240 140" stroke="#8d99ae"' \
            ' stroke-width="6"/>'
    sun = '<circle cx="224" cy="94" r="8" fill="#8d99ae" stroke="none"/>'
    slash = '<path d="M140 164 L260 56" stroke="#8d99ae" stroke-width="6"/>'
    text = ('<text x="200" y="205" font-family="sans-serif" font-size="20" fill="#5c677d"'
            ' stroke="none" text-anchor="middle">No illustration available</text>')
    return [frame, hills, sun, slash, text]


# --- Fitting a drawing to its card ---------------------------------------------------------------
# A drawing is made in pose pixels, then scaled and centred so that its subject (the figure, its
# props and arrows: everything but the ground) fills the card up to these margins in the
# dimension that limits it. The floor line always spans the card; the mat runs under the subject.
MARGIN_X, MARGIN_Y = 24.0, 22.0  # card pixels kept clear at the sides and at top and bottom
MAX_SCALE = 2.0  # a compact pose is not blown up further: its lines would get heavy
FLOOR_SPAN = (16.0, 384.0)  # card x range of the floor line
FLOOR_W = 3.0  # card pixels
MAT_OVERHANG = 14.0  # pose pixels of mat beyond the subject at either end
GROUND_CLASS = "ground"
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?")


def ground(*elements: str) -> str:
    """Group elements that are the ground under a figure (not counted as what fills the card)."""
    return f'<g class="{GROUND_CLASS}">{"".join(elements)}</g>'


def _path_points(d: str) -> list[Point]:
    """Return the points of a path made of absolute M, L, Q and Z commands (control points too)."""
    tokens = _PATH_TOKEN.findall(d)
    letters = {t for t in tokens if t.isalpha()}
    if not letters <= set("MLQZ"):
        raise ValueError(f"cannot measure path {d!r}: use absolute M, L, Q and Z only")
    numbers = [float(t) for t in tokens if not t.isalpha()]
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


def extent(elements: Iterable[str], *, with_ground: bool = False
           ) -> tuple[float, float, float, float]:
    """Return the SVG bounding box (x0, y0, x1, y1) of what ``elements`` paint, ground left out
    unless ``with_ground``.

    Strokes count with their width; background-coloured halos do not. A curve's control point
    counts as if it were on the curve, so the box can be a little generous, never too small.
    """
    xs: list[float] = []
    ys: list[float] = []

    def visit(node: ET.Element) -> None:
        if node.get("class") == GROUND_CLASS and not with_ground:
            return
        ink = node.get("stroke", "none")
        pad = float(node.get("stroke-width", "0")) / 2 if ink not in ("none", BACKGROUND) else 0.0
        points: list[Point] = []
        if node.tag == "path" and ink != BACKGROUND:
            points = _path_points(node.get("d", ""))
        elif node.tag == "circle":
            cx, cy, r = (float(node.get(k, "0")) for k in ("cx", "cy", "r"))
            points = [(cx - r, cy - r), (cx + r, cy + r)]
        elif node.tag == "rect":
            x, y, w, h = (float(node.get(k, "0")) for k in ("x", "y", "width", "height"))
            points = [(x, y), (x + w, y + h)]
        for px, py in points:
            xs.extend((px - pad, px + pad))
            ys.extend((py - pad, py + pad))
        for child in node:
            visit(child)

    visit(ET.fromstring(f"<g>{''.join(elements)}</g>"))
    if not xs:
        raise ValueError("nothing drawn")
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Fit:
    """Scale and offset from pose pixels (already in SVG orientation) to card pixels."""

    scale: float
    dx: float
    dy: float

    def to_pose_x(self, card_x: float) -> float:
        """Return the pose x drawn at card x ``card_x``."""
        return (card_x - self.dx) / self.scale

    def transform(self) -> str:
        """Return the SVG transform attribute value."""
        return f"translate({num(self.dx)} {num(self.dy)}) scale({self.scale:.4f})"


def fit(box: tuple[float, float, float, float]) -> Fit:
    """Return the fit that centres ``box`` in the card and scales it up to the margins."""
    x0, y0, x1, y1 = box
    scale = min((WIDTH - 2 * MARGIN_X) / (x1 - x0), (HEIGHT - 2 * MARGIN_Y) / (y1 - y0),
                MAX_SCALE)
    return Fit(scale, WIDTH / 2 - scale * (x0 + x1) / 2, HEIGHT / 2 - scale * (y0 + y1) / 2)


def ground_for(kind: Ground, box: tuple[float, float, float, float], placed: Fit) -> list[str]:
    """Return the floor line across the card and, if asked, a mat under the subject."""
    if kind == "none":
        return []
    left, right = (placed.to_pose_x(x) for x in FLOOR_SPAN)
    parts = [stroke([(left, 0), (right, 0)], FLOOR_INK, FLOOR_W / placed.scale)]
    if kind == "mat":
        inset = 6 / placed.scale
        parts.append(mat(max(box[0] - MAT_OVERHANG, left + inset),
                         min(box[2] + MAT_OVERHANG, right - inset)))
    return [ground(*parts)]


def document(title: str, elements: Iterable[str], *, kind: Ground = "floor",
             scale_to_card: bool = True) -> str:
    """Wrap drawing elements in a complete SVG document: title, background, ground, fitted."""
    drawn = list(elements)
    attrs = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'
    if scale_to_card:
        x0, y0, x1, y1 = extent(drawn)
        if kind == "none":  # the drawing's own ground must fit in the card too
            placed = fit(extent(drawn, with_ground=True))
        else:  # keep the floor in the picture: the subject stands or lies on it
            y1 = max(y1, float(FLOOR_Y))
            placed = fit((x0, y0, x1, y1))
        drawn = [*ground_for(kind, (x0, y0, x1, y1), placed), *drawn]
        attrs += f' transform="{placed.transform()}"'
    body = "\n".join(drawn)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400"'
        ' height="300" role="img">\n'
        f"<title>{title}</title>\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="18" fill="{BACKGROUND}"/>\n'
        f"<g {attrs}>\n{body}\n</g>\n</svg>\n"
    )


def render_all() -> dict[str, str]:
    """Return every illustration file's name and content."""
    files = {
        f"{ident}.svg": document(escape(item.title), item.draw(), kind=item.ground)
        for ident, item in ILLUSTRATIONS.items()
    }
    files["placeholder.svg"] = document(PLACEHOLDER_TITLE, placeholder(), kind="none",
                                         scale_to_card=False)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Write the illustrations, or with ``--check`` report any that are missing or stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file differs from what would be written")
    args = parser.parse_args(argv)
    stale = []
    for name, content in render_all().items():
        path = OUT_DIR / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(name)
        if not args.check:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="\n")
    if args.check and stale:
        print(f"stale illustrations (run {Path(__file__).name}): {', '.join(stale)}",
              file=sys.stderr)
        return 1
    print(f"{len(stale)} illustration(s) {'stale' if args.check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
