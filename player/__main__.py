"""``python -m player``: the same as the ``routine-player`` command."""

import sys

from player.app import main

sys.exit(main())
