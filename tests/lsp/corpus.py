"""The mistakes corpus and the docs' examples the editor test (and its bench) run through."""

from __future__ import annotations

import collections
import re
from pathlib import Path
from typing import Any

from player.core import bundled
from player.core.loader import load_library, validate_file
from tests.lsp.client import YamlLanguageServer

ROOT = Path(__file__).resolve().parents[2]
MISTAKES_DIR = Path(__file__).resolve().parent / "mistakes"
MISTAKES = sorted(MISTAKES_DIR.glob("*.yaml"))
DOCS = [ROOT / "docs" / "routine-format.md"]
BUNDLED = [*bundled.bundled_routines(), bundled.LIBRARY_FILE]

_FENCE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_VALIDATE_LINE = re.compile(r"^# validate: line (\d+)$", re.MULTILINE)
_CANNOT = re.compile(r"^# editor cannot: (.+)$", re.MULTILINE)
_EDITOR_LINE = re.compile(r"^# editor line: (\d+) \((.+)\)$", re.MULTILINE)


def docs_examples() -> list[tuple[str, str]]:
    """(name, text) of every ```yaml block in the docs."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            out.append((f"{doc.name}:{line}", match.group(1)))
    return out


EXAMPLES = docs_examples()


def expected_line(path: Path) -> int:
    """The 1-based line the corpus file says `validate` reports."""
    found = _VALIDATE_LINE.search(path.read_text(encoding="utf-8"))
    assert found, f"{path.name} has no '# validate: line N' comment"
    return int(found.group(1))


def cannot_reason(path: Path) -> str | None:
    """Why the schema cannot express the rule this corpus file breaks, or None."""
    found = _CANNOT.search(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def editor_line(path: Path) -> int | None:
    """The other line the editor flags for this mistake (the file says why), or None."""
    found = _EDITOR_LINE.search(path.read_text(encoding="utf-8"))
    return int(found.group(1)) if found else None


class Session:
    """Every file opened in one server, with the diagnostics it published for each."""

    def __init__(self, server: YamlLanguageServer, examples_dir: Path) -> None:
        self.server = server
        self.examples_dir = examples_dir
        self.by_path: dict[Path, list[dict[str, Any]]] = {}
        paths = [*BUNDLED, *MISTAKES]
        for i, (_, text) in enumerate(EXAMPLES):
            path = examples_dir / f"example-{i}.yaml"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        uris = {server.open(p): p for p in paths}
        for uri, diagnostics in server.wait_for_diagnostics(list(uris)).items():
            self.by_path[uris[uri]] = diagnostics

    def lines(self, path: Path) -> set[int]:
        """1-based lines with a diagnostic."""
        return {d["range"]["start"]["line"] + 1 for d in self.by_path[path]}


def agreement(session: Session) -> str:
    """The issue's figure: how many corpus mistakes the editor flags on `validate`'s line."""
    agree = sum(expected_line(p) in session.lines(p) for p in MISTAKES)
    elsewhere = sum(editor_line(p) is not None for p in MISTAKES)
    cannot = sum(cannot_reason(p) is not None for p in MISTAKES)
    return (f"{agree}/{len(MISTAKES)} mistakes flagged on the line `validate` reports "
            f"({agree / len(MISTAKES):.0%}); {elsewhere} flagged on a neighbouring line; "
            f"{cannot} the schema cannot express (each file says why)")


#: Values put in place of each value of the complete example.
VALUES = ["0", "1", "-1", "30s", "yes", "'x'", "1.5", "abc", "null", "[]", "{}", "2026-01-01",
          "1:30", "Plank", "300", "99999", "''", "true", "5h", "1 min", "30 seconds"]
_KEY_VALUE = re.compile(r"^(\s*(?:- )?[a-z_ 0-9]+:) (\S[^#]*?)(\s+#.*)?$")


def sweep(server: YamlLanguageServer, folder: Path,
          values: list[str] = VALUES) -> tuple[int, collections.Counter[str]]:
    """(files, disagreements by kind) over the variants of the docs' complete example, each
    ``key: value`` line in turn given each of ``values``."""
    complete = next(text for _, text in EXAMPLES if "exercises:" in text)
    lines = complete.splitlines()
    variants = []
    for i, line in enumerate(lines):
        match = _KEY_VALUE.match(line)
        if not match or line.lstrip().startswith("#") or line.rstrip().endswith(">-"):
            continue
        for value in values:
            changed = [*lines[:i], f"{match.group(1)} {value}", *lines[i + 1:]]
            path = folder / f"variant-{len(variants)}.yaml"
            path.write_text("\n".join(changed) + "\n", encoding="utf-8")
            variants.append((path, i + 1, match.group(1).strip(" -:"), value))
    uris = {server.open(path): path for path, *_ in variants}
    published = {uris[u]: d for u, d in server.wait_for_diagnostics(list(uris)).items()}
    library = load_library()
    kinds: collections.Counter[str] = collections.Counter()
    for path, line, key, value in variants:
        by_validate = any(p.line == line for p in validate_file(path, library) if p.is_error)
        by_editor = any(d["range"]["start"]["line"] + 1 == line for d in published[path])
        if by_validate != by_editor:
            who = "only validate" if by_validate else "only the editor"
            kinds[f"{who} flags {key}: {value}"] += 1
    return len(variants), kinds
