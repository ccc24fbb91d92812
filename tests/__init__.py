"""Test suite; a package so that tests can share helpers such as ``tests.fakes``."""
