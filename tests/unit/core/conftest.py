"""Fixtures of the core's tests."""

from __future__ import annotations

import pytest

from player.core.loader import Library, load_library


@pytest.fixture(scope="module")
def library() -> Library:
    """The bundled exercise library, loaded once per test module (a module may define its own)."""
    return load_library()
