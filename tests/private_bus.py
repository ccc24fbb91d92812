"""A private D-Bus session bus for the keep-awake test and benchmark.

It only listens (no service files, so nothing real can be activated on it) and lets any
client own any name, as the fake screensaver needs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def start_bus(folder: Path, stderr: int = subprocess.PIPE) -> subprocess.Popen[str]:
    """Start ``dbus-daemon`` listening in ``folder`` (keep its path short: a unix socket's
    path must fit in 108 bytes); its first line of output is the bus's address."""
    config = folder / "bus.conf"
    config.write_text(BUS_CONFIG.format(folder=folder), encoding="utf-8")
    return subprocess.Popen(
        ["dbus-daemon", "--nofork", f"--config-file={config}", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=stderr, text=True)
