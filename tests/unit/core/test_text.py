"""Text from files made safe to show: isolated, stripped, escaped, shortened, judged visible."""

from __future__ import annotations

import unicodedata

import pytest

from player.core.text import (
    BIDI_CONTROLS,
    FSI,
    MESSAGE_VALUE_CHARS,
    PDI,
    escape_controls,
    escape_json,
    has_visible,
    isolate,
    quoted,
    shorten,
    strip_controls,
)

RLO = "\u202e"


@pytest.mark.parametrize(
    "text",
    ["\u200b", "\u200b\u200c\u200d\u2060\ufeff", " \u00a0\u3000", "\u3164", "\u115f\u1160",
     "\u2800", f"{RLO}\u2066\u2069", "\u0301\u0302", "\ufe0f", "\x1b\x07", "\u2028\u2029",
     "\U000e0041\U000e0042", "\u034f", ""],
    ids=["zero-width space", "joiners and BOM", "spaces", "Hangul filler", "choseong fillers",
         "braille blank", "bidi controls", "lone combining marks", "variation selector",
         "controls", "separators", "tags", "grapheme joiner", "empty"],
)
def test_invisible_text_has_nothing_visible(text):
    assert not has_visible(text)


@pytest.mark.parametrize("text", ["a", "\u200bPlank\u200b", "مرحبا", "שלום", "日本", "é", "1",
                                  "✓", "😀", "\u0915\u093f"])
def test_visible_text(text):
    assert has_visible(text)


def test_isolate_wraps_and_removes_controls_that_could_escape_it():
    # A stray PDI inside would close our isolate early, and the override after it would
    # reorder the app's own text: both are removed.
    name = f"Plank\u2069{RLO}evil"
    shown = isolate(name)
    assert shown == f"{FSI}Plankevil{PDI}"
    assert not (set(shown[1:-1]) & BIDI_CONTROLS)


def test_isolate_keeps_bidi_marks_and_text():
    assert isolate("שלום\u200f") == f"{FSI}שלום\u200f{PDI}"


def test_strip_controls():
    assert strip_controls("a\x1b[31mb\x07c") == "a[31mbc"
    assert strip_controls("one\r\ntwo\rthree\u2028four\tfive") == "one two three four five"
    assert strip_controls("one\r\ntwo\rthree\n", keep_newlines=True) == "one\ntwo\nthree\n"
    assert strip_controls(f"x{RLO}y\u200fz") == "xy\u200fz"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, ünïcödé ✓", "plain text, ünïcödé ✓"),
        ("\x1b[2J\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
         "\\x1b[2J\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\"),
        ("Total: 9:99\rTotal: 0:00", "Total: 9:99\\rTotal: 0:00"),
        ("name\nTotal: 0:00", "name\\nTotal: 0:00"),
        (f"00:03{RLO}", "00:03\\u202e"),
        ("a\x9bb\x85c\u2028d", "a\\x9bb\\x85c\\u2028d"),
        ("tab\there", "tab\\there"),
    ],
)
def test_escape_controls_for_a_terminal(text, shown):
    assert escape_controls(text) == shown


def test_escape_controls_leaves_no_control_or_bidi_character():
    every = "".join(chr(c) for c in range(0x00, 0x250)) + "".join(BIDI_CONTROLS) + "\u2028\u2029"
    escaped = escape_controls(every)
    assert not any(unicodedata.category(c) == "Cc" for c in escaped)
    assert not set(escaped) & (BIDI_CONTROLS | {"\u2028", "\u2029"})


def test_shorten_and_quoted():
    assert shorten("short") == "short"
    long = "k" * 500_000
    assert len(shorten(long)) == MESSAGE_VALUE_CHARS and shorten(long).endswith("…")
    assert quoted("plank") == "'plank'"
    assert quoted(long) == "'" + "k" * MESSAGE_VALUE_CHARS + "'… (500,000 characters)"
    assert quoted(12) == "12"


def test_quoted_escapes_and_stays_short_however_many_escapes():
    assert quoted("a\x1bb") == "'a\\x1bb'"
    assert quoted(f"x{RLO}") == "'x\\u202e'"
    many = RLO * 1000
    assert len(quoted(many)) < 2 * MESSAGE_VALUE_CHARS
    assert quoted(many).endswith("(1,000 characters)")


def test_escape_json_keeps_the_json_and_makes_it_inert():
    import json

    value = {"title": f"a{RLO}b\x9bc\x7fd\u2028e\u200fü\x1b", "n": [1, 2]}
    text = escape_json(json.dumps(value, indent=2, ensure_ascii=False))
    assert json.loads(text) == value
    assert "ü" in text and "\n" in text  # readable, and the layout's own line breaks stay
    assert not [c for c in text if c not in "\n" and not c.isprintable()]


def test_escape_json_escapes_exactly_the_characters_it_names_one_by_one():
    import random

    from player.core.text import BIDI_CONTROLS, BIDI_MARKS

    named = sorted(BIDI_CONTROLS | BIDI_MARKS | {"\u2028", "\u2029"})
    alphabet = [*named, *map(chr, range(0x7e, 0xa1)), "a", "\n", " ", '"', "ü", "-", "]", "\\"]
    rng = random.Random(4)
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        one_by_one = "".join(f"\\u{ord(c):04x}" if c in named or "\x7f" <= c <= "\x9f" else c
                             for c in text)
        assert escape_json(text) == one_by_one
