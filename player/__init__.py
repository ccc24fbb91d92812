"""Routine player: plays exercise routines written as YAML files."""
