"""The questions the window asks, each behind a classmethod tests can replace."""
