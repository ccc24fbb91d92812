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

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.core import bundled  # noqa: E402
from tests.lsp.client import YamlLanguageServer, server_missing  # noqa: E402
from tests.lsp.corpus import Session, agreement, sweep  # noqa: E402


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
