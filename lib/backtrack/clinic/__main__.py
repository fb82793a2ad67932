from __future__ import annotations

import sys

from backtrack.clinic.cli import main

sys.exit(main())
