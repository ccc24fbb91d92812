"""``report`` and ``history export`` on a history whose ice and heat records are damaged: they
name what is damaged, carry on with the rest, and change nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.app import main
from player.core.history import PainRating
from player.core.thermal import SkinRecheck
from player.store.db import DB_FILENAME
from player.store.history import HistoryStore

NOW = datetime(2024, 3, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))
COMMANDS = (("report",), ("report", "--json"), ("history", "export"))


def damaged_history(data_dir: Path) -> None:
    with HistoryStore.open(data_dir) as store:
        store.add_rating(PainRating(NOW - timedelta(days=1), "checkin", 3, note="kept"))
        app = store.start_thermal("ice", NOW - timedelta(days=1))
        store.finish_thermal(app, 600.0, NOW - timedelta(days=1, minutes=-10))
        store.add_skin_recheck(SkinRecheck(NOW, True))
        conn = store._conn
        conn.execute("PRAGMA ignore_check_constraints = ON")
        # A terminal escape in the damaged value is shown, never obeyed.
        conn.execute("UPDATE thermal_applications SET kind = 'steam\x1b[2J', ended_at = 'soon'")
        conn.execute("UPDATE skin_rechecks SET normal = 5")
        conn.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.mark.parametrize("args", COMMANDS)
def test_they_name_each_damaged_record_and_carry_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    damaged_history(tmp_path)
    before = (tmp_path / DB_FILENAME).read_bytes()
    assert main(["--data-dir", str(tmp_path), *args]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert any("ice or heat record (number 1) is damaged" in line and "'soon'" in line
               for line in lines)
    assert any("back to normal?\" answer (number 1) is damaged: its answer is 5" in line
               for line in lines)
    assert "\x1b" not in err and "kept as it is" in err
    if args == ("history", "export"):
        assert "kept" in out  # the ratings are all there
    elif "--json" in args:
        assert json.loads(out)["pain"]["baseline"] == 3.0  # the report is whole
    else:
        assert "first week's resting ratings): 3/10" in out
    assert (tmp_path / DB_FILENAME).read_bytes() == before  # nothing changed
