"""BackTrack: self-tracking for an osteopath's home exercise programme for low back pain.

The domain lives here (programme, journal store, CSV, progress maths, charts, report);
it never imports Streamlit, so the CLI, the tests and the pages share one implementation.
"""

from __future__ import annotations

__version__ = "0.1.0"
