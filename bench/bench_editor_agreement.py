"""How often the editor (the real YAML language server) and `validate` agree, line by line.

    .venv/bin/python bench/bench_editor_agreement.py

Needs the server the editor test drives (``npm ci --prefix tests/lsp``). Prints two figures:

1. the issue's figure: of the mistakes corpus (``tests/lsp/mistakes/``, one mistake each), how
   many the editor flags on the line `validate` reports;
2. a sweep: every ``key: value`` line of the docs' complete example replaced by each of a set of
   plausible wrong or right values, one per file; for each file, whether `validate` and the
   editor both flag that line, or both leave it alone. Disagreements are listed by kind.
"""

from __future__ import annotations

import collections
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.core import bundled  # noqa: E402
from player.core.loader import load_library, validate_file  # noqa: E402
from tests.lsp.client import YamlLanguageServer, server_missing  # noqa: E402
from tests.lsp.corpus import EXAMPLES, Session, agreement  # noqa: E402

#: Values put in place of each value of the complete example.
VALUES = ["0", "1", "-1", "30s", "yes", "'x'", "1.5", "abc", "null", "[]", "{}", "2026-01-01",
          "1:30", "Plank", "300", "99999", "''", "true", "5h", "1 min", "30 seconds"]
_KEY_VALUE = re.compile(r"^(\s*(?:- )?[a-z_ 0-9]+:) (\S[^#]*?)(\s+#.*)?$")


def sweep(server: YamlLanguageServer, folder: Path) -> tuple[int, collections.Counter[str]]:
    """(files, disagreements by kind) over the variants of the docs' complete example."""
    complete = next(text for _, text in EXAMPLES if "exercises:" in text)
    lines = complete.splitlines()
    variants = []
    for i, line in enumerate(lines):
        match = _KEY_VALUE.match(line)
        if not match or line.lstrip().startswith("#") or line.rstrip().endswith(">-"):
            continue
        for value in VALUES:
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


def main() -> int:
    missing = server_missing()
    if missing:
        print(missing)
        return 1
    with tempfile.TemporaryDirectory(prefix="editor-agreement-") as tmp:
        folder = Path(tmp)
        shutil.copy(bundled.ROUTINE_SCHEMA_FILE, folder / bundled.ROUTINE_SCHEMA_FILE.name)
        server = YamlLanguageServer(ROOT)
        try:
            server.configure({})
            started = time.perf_counter()
            session = Session(server, folder)
            print(f"corpus: {agreement(session)}")
            files, kinds = sweep(server, folder)
            seconds = time.perf_counter() - started
        finally:
            server.shutdown()
    disagree = sum(kinds.values())
    print(f"sweep: {files - disagree}/{files} variants of the complete example agree "
          f"({(files - disagree) / files:.1%}); {disagree} disagree:")
    for kind, count in sorted(kinds.items()):
        print(f"  {count:3d}  {kind}")
    print(f"({seconds:.1f} s with the server running)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
