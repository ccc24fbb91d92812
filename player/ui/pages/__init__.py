"""The window's pages: the library, a routine's preview, the player and the history."""
