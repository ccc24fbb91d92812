"""The wheel people install: its size, and how fast the app it installs starts.

    .venv/bin/python bench/bench_wheel.py [--runs 10] [--platform xcb|offscreen]

Builds the wheel as ``python3 dev.py wheel`` does, prints its size and file count, installs it
with the app lock into a new virtual environment in a temporary folder, then runs
``bench/bench_startup.py --installed-python`` so the editable checkout and the installed wheel
start in alternation on the same machine load; the figure is their ratio of medians.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dev  # noqa: E402 - the project's set-up script, after making the root importable


def main() -> int:
    """Build, install, measure; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--platform", choices=("xcb", "offscreen"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-wheel-") as tmp:
        wheel = dev.build_wheel(Path(tmp) / "dist", Path(sys.executable))
        with zipfile.ZipFile(wheel) as zf:
            infos = zf.infolist()
        content = sum(i.file_size for i in infos if "/content/" in i.filename)
        print(f"wheel: {wheel.name}, {wheel.stat().st_size / 2**20:.2f} MiB compressed, "
              f"{sum(i.file_size for i in infos) / 2**20:.2f} MiB unpacked in {len(infos)} files "
              f"({content / 2**20:.2f} MiB of bundled routines and media)")
        python = dev.install_wheel(wheel, Path(tmp) / "venv")
        startup = [sys.executable, str(ROOT / "bench" / "bench_startup.py"),
                   "--runs", str(args.runs), "--installed-python", str(python)]
        if args.platform:
            startup += ["--platform", args.platform]
        return subprocess.call(startup)


if __name__ == "__main__":
    sys.exit(main())
