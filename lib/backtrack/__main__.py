from __future__ import annotations

import sys

from backtrack.cli import main

sys.exit(main())
