"""The cue player: files of one cue in sequence, interruption, mute, no sound."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from player.settings import Settings
from player.ui.controllers.app_settings import AppSettings
from player.ui.controllers.cue_player import CuePlayer, SoundStatus, wav_seconds
from tests.fakes import RecordingOutput

TONE = Path("tone.wav")
WORD = Path("word.wav")
NAME = Path("name.wav")


def rig(tmp_path: Path, lengths: dict[Path, float] | None = None,
        muted: bool = False) -> tuple[CuePlayer, RecordingOutput, SoundStatus]:
    settings = AppSettings(tmp_path / "settings.json", Settings(muted=muted))
    status = SoundStatus()
    output = RecordingOutput(status.report)
    lengths = lengths or {}
    player = CuePlayer(settings, status, seconds_of=lambda p: lengths.get(p, 0.0), gap=0.0)
    player.set_output(output)
    return player, output, status


def test_zero_length_files_play_at_once_in_order(tmp_path: Path) -> None:
    player, output, _ = rig(tmp_path)
    player.play([TONE, WORD, NAME])
    assert output.played == [TONE, WORD, NAME]


def test_later_files_wait_for_the_earlier_ones(qtbot: QtBot, tmp_path: Path) -> None:
    player, output, _ = rig(tmp_path, {TONE: 0.05, WORD: 0.05})
    player.play([TONE, WORD, NAME])
    assert output.played == [TONE]
    qtbot.waitUntil(lambda: output.played == [TONE, WORD, NAME], timeout=2000)


def test_a_new_step_interrupts_what_is_still_waiting(tmp_path: Path) -> None:
    player, output, _ = rig(tmp_path, {TONE: 0.05})
    player.play([TONE, WORD])
    assert player.pending == 1
    player.play([NAME], interrupt=True)
    assert player.pending == 0
    assert output.played == [TONE, NAME]


def test_muted_cues_flash_instead(qtbot: QtBot, tmp_path: Path) -> None:
    player, output, _ = rig(tmp_path, muted=True)
    with qtbot.waitSignal(player.visual_cue):
        player.play([TONE])
    assert output.played == []


def test_without_sound_cues_flash_and_it_is_said_once(qtbot: QtBot, tmp_path: Path) -> None:
    player, output, _ = rig(tmp_path)
    with qtbot.waitSignal(player.sound_failed) as blocker:
        output.fail("no device")
    assert blocker.args == ["no device"]
    assert not player.sound_works
    with qtbot.waitSignal(player.visual_cue):
        player.play([TONE])
    with qtbot.assertNotEmitted(player.visual_cue):
        player.play([])  # silent events do not flash


def test_without_an_output_yet_cues_flash(qtbot: QtBot, tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.json", Settings())
    player = CuePlayer(settings, SoundStatus())
    assert not player.sound_works
    with qtbot.waitSignal(player.visual_cue):
        player.play([TONE])


def test_wav_seconds_reads_the_header_and_guesses_otherwise(tmp_path: Path) -> None:
    from player.core.bundled import MEDIA_DIR

    beep = MEDIA_DIR / "cues" / "tones" / "beep.wav"
    assert 0.05 < wav_seconds(beep) < 1.0
    assert wav_seconds(tmp_path / "missing.wav") == 0.5
