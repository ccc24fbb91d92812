"""Whole-app tests use the window fixtures of the UI tests: the real window on a fake clock."""

from tests.unit.ui.conftest import (
    harness,
    make_harness,
    no_care_dialogs,
    no_real_dialogs,
    no_real_screensaver,
)

__all__ = ["harness", "make_harness", "no_care_dialogs", "no_real_dialogs", "no_real_screensaver"]
