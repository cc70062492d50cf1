"""``python -m ldn_compound``: the command line."""

import sys

from .cli import main

sys.exit(main())
