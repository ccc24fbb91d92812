"""The editor agrees with `validate`: the real YAML language server, driven over LSP stdio.

The server is yaml-language-server, the engine of VS Code's YAML extension, at the version
pinned in ``tests/lsp/package-lock.json`` (``dev.py test`` installs it with ``npm ci`` when
Node.js is there). Every bundled routine and every YAML example in the docs must get no
diagnostic; each file of the mistakes corpus (``tests/lsp/mistakes/``, one mistake each, with
the line `validate` reports) must get a diagnostic on that same line, unless the file says why
the schema cannot express that rule (and then it must get none there, so the mark stays true)
or which other line the editor flags and why.
"""

from __future__ import annotations

import os
import re
import shutil
from typing import Any

import pytest

from player.core import bundled
from player.core.loader import load_library, validate_file
from tests.lsp.client import YamlLanguageServer, server_missing
from tests.lsp.corpus import (
    BUNDLED,
    EXAMPLES,
    MISTAKES,
    ROOT,
    Session,
    agreement,
    cannot_reason,
    editor_line,
    expected_line,
    sweep,
)

MISSING = server_missing()
if MISSING and os.environ.get("ROUTINE_PLAYER_REQUIRE_LSP"):  # CI: never skip silently
    raise RuntimeError(MISSING)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=str(MISSING))]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory):
    examples = tmp_path_factory.mktemp("docs-examples")
    # The docs' examples name the schema beside the file, as a physio's copy does.
    shutil.copy(bundled.ROUTINE_SCHEMA_FILE, examples / bundled.ROUTINE_SCHEMA_FILE.name)
    server = YamlLanguageServer(ROOT)
    try:
        server.configure({bundled.ROUTINE_SCHEMA_FILE.as_uri(): ["/tests/lsp/mistakes/*.yaml"]})
        yield Session(server, examples)
    finally:
        server.shutdown()


def _shown(diagnostics: list[dict[str, Any]]) -> str:
    return "\n".join(f"  line {d['range']['start']['line'] + 1}: {d['message'][:160]}"
                     for d in diagnostics)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_files_get_no_diagnostics(session, path):
    assert session.by_path[path] == [], _shown(session.by_path[path])


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[name for name, _ in EXAMPLES])
def test_docs_examples_get_no_diagnostics(session, index):
    path = session.examples_dir / f"example-{index}.yaml"
    assert session.by_path[path] == [], _shown(session.by_path[path])


def test_the_corpus_has_at_least_30_mistakes_most_of_them_expressible():
    expressible = [p for p in MISTAKES if cannot_reason(p) is None]
    assert len(MISTAKES) >= 30
    assert len(expressible) >= 30


@pytest.mark.parametrize("path", MISTAKES, ids=lambda p: p.stem)
def test_validate_reports_the_corpus_line(path):
    lines = {p.line for p in validate_file(path) if p.is_error}
    assert expected_line(path) in lines, f"validate reports lines {sorted(lines)}"


@pytest.mark.parametrize("path", MISTAKES, ids=lambda p: p.stem)
def test_editor_flags_the_line_validate_reports(session, path):
    line = expected_line(path)
    reason = cannot_reason(path)
    shown = _shown(session.by_path[path])
    other = editor_line(path)
    if other is not None:
        assert other in session.lines(path) and line not in session.lines(path), (
            f"expected the editor on line {other} (not {line}); it said:\n{shown}")
    elif reason is None:
        assert line in session.lines(path), f"nothing on line {line}; the editor said:\n{shown}"
    else:
        assert line not in session.lines(path), (
            f"the editor now flags line {line}; remove the '# editor cannot' mark:\n{shown}")


def test_agreement_rate_over_the_corpus(session, capsys):
    figure = agreement(session)
    with capsys.disabled():
        print(f"\n[editor agreement] {figure}")
    expected = sum(cannot_reason(p) is None and editor_line(p) is None for p in MISTAKES)
    assert figure.startswith(f"{expected}/")


ROUTINE_START = ("format: 1\ntitle: Completion\nblocks:\n  - name: Main\n    steps:\n"
                 "      - exercise: plank\n        hold: 30s\n")


def _complete(session: Session, name: str, text: str) -> list[dict[str, Any]]:
    path = session.examples_dir / name
    path.write_text(text, encoding="utf-8")
    uri = session.server.open(path, text)
    session.server.wait_for_diagnostics([uri])
    lines = text.split("\n")
    items = session.server.completion(uri, len(lines) - 1, len(lines[-1]))
    session.server.close(uri)
    return items


def test_completion_after_exercise_offers_the_bundled_ids(session):
    text = "# yaml-language-server: $schema=routine.schema.json\n" + ROUTINE_START \
        + "      - exercise: "
    labels = {item["label"] for item in _complete(session, "complete-id.yaml", text)}
    ids = set(load_library().exercises)
    assert ids <= labels, f"missing: {sorted(ids - labels)}"


def test_a_new_step_offers_each_kind_by_name(session):
    text = "# yaml-language-server: $schema=routine.schema.json\n" + ROUTINE_START + "      - "
    labels = {item["label"] for item in _complete(session, "complete-step.yaml", text)}
    assert {"Exercise step", "Rest step", "Ice step", "Heat step", "Cadence step"} <= labels
    assert not any(label.startswith("object(") for label in labels)


_ZERO = re.compile(r":\s*(?:\$\{\d+:)?\"?0\"?\}?\s*$", re.MULTILINE)
#: Where an editor fills in values: a new file, a new step, inside a step, after `tempo: `.
FILL_INS = {
    "new-file": "",
    "new-step": ROUTINE_START + "      - ",
    "in-a-held-step": ROUTINE_START + "        ",
    "in-a-reps-step": ROUTINE_START.replace("hold: 30s", "reps: 10") + "        ",
    "tempo": ROUTINE_START.replace("hold: 30s", "reps: 10") + "        tempo: ",
    "cadence": ROUTINE_START + "      - cadence: 180\n        ",
}


@pytest.mark.parametrize("where", FILL_INS)
def test_values_an_editor_fills_in_are_never_an_invalid_zero(session, where):
    text = "# yaml-language-server: $schema=routine.schema.json\n" + FILL_INS[where]
    items = _complete(session, f"complete-{where}.yaml", text)
    assert items
    bad = [item["insertText"] for item in items if _ZERO.search(item.get("insertText", ""))]
    assert bad == []


def test_a_tempo_is_offered_with_phases_longer_than_zero(session):
    text = "# yaml-language-server: $schema=routine.schema.json\n" + FILL_INS["tempo"]
    inserted = [item.get("insertText", "") for item in _complete(session, "tempo.yaml", text)]
    assert any("up: 2s" in t for t in inserted), inserted


#: Durations as a physio might write them, on the `hold:` line; the validator decides which are
#: right, and the editor must decide the same (the natural forms follow the validator).
DURATION_TEXTS = [
    "30s", "90", "1m30s", "1m 30s", "1.5m", "4h", "30 seconds", "1 second", "1 min", "20 mins",
    "1 minute", "2 hours", "30 S", "5h", "0s", "-5s", "30 secnds", "half a minute", "1:30",
]
HOLD_LINE = 8


@pytest.fixture(scope="module")
def durations(session):
    """For each of DURATION_TEXTS: (validate flags the hold line, the editor flags it)."""
    out: dict[str, tuple[bool, bool]] = {}
    paths = {}
    for i, text in enumerate(DURATION_TEXTS):
        path = session.examples_dir / f"duration-{i}.yaml"
        path.write_text("# yaml-language-server: $schema=routine.schema.json\n" + ROUTINE_START
                        .replace("hold: 30s", f"hold: {text}"), encoding="utf-8")
        assert path.read_text().splitlines()[HOLD_LINE - 1].endswith(f"hold: {text}")
        paths[session.server.open(path)] = (text, path)
    published = session.server.wait_for_diagnostics(list(paths))
    for uri, (text, path) in paths.items():
        by_validate = any(p.line == HOLD_LINE for p in validate_file(path) if p.is_error)
        by_editor = any(d["range"]["start"]["line"] + 1 == HOLD_LINE for d in published[uri])
        out[text] = (by_validate, by_editor)
        session.server.close(uri)
    return out


@pytest.mark.parametrize("text", DURATION_TEXTS)
def test_editor_and_validate_agree_on_a_duration(durations, text):
    by_validate, by_editor = durations[text]
    assert by_editor == by_validate, (
        f"hold: {text}: validate {'refuses' if by_validate else 'accepts'} it, the editor "
        f"{'refuses' if by_editor else 'accepts'} it")


def test_yaml_1_1_booleans_are_accepted_as_validate_accepts_them(session):
    text = ("# yaml-language-server: $schema=routine.schema.json\n" + ROUTINE_START
            + "        pain_check: yes\n" + "pain_checks:\n  before: no\n  after: on\n")
    path = session.examples_dir / "booleans.yaml"
    path.write_text(text, encoding="utf-8")
    assert [p for p in validate_file(path) if p.is_error] == []
    uri = session.server.open(path)
    assert session.server.wait_for_diagnostics([uri])[uri] == []


#: Right values and near misses most likely to be refused by an editor only (the bench runs
#: the whole of corpus.VALUES).
SWEEP_VALUES = ["30s", "90", "1.5", "1 min", "30 seconds", "yes", "true", "1:30", "300", "'x'"]


def test_the_editor_flags_nothing_validate_accepts_in_the_sweep(session, tmp_path):
    """Each value of the docs' complete example replaced by each of SWEEP_VALUES: where
    the editor flags a line, validate must too (a false error is what makes an editor useless).
    The other way round, the limits the docs list (ids, YAML 1.1 text) are expected."""
    shutil.copy(bundled.ROUTINE_SCHEMA_FILE, tmp_path)  # the files name it beside them
    files, kinds = sweep(session.server, tmp_path, SWEEP_VALUES)
    only_editor = [kind for kind in kinds if kind.startswith("only the editor")]
    assert only_editor == [], f"{files} files"
