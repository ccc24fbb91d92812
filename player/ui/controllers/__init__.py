"""Between the core and the widgets: the session in play, its Qt driver and cues, the care
rules, the session's record, the routine library, the settings and the window's commands."""
