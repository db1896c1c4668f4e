"""`python -m harness.cli`: the hadrill command."""

import sys

from harness.cli import main

sys.exit(main())
