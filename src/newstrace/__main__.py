"""`python -m newstrace` runs the command line."""

import sys

from newstrace.cli.main import main

sys.exit(main())
