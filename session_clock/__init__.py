"""The hands-free session's browser clock: a Streamlit components v2 component.

Its HTML, CSS and JavaScript are the files next to this one, passed inline (no build step,
nothing loaded from another host). It keeps the time, plays the cues (Web Audio, and
speech where the browser has a voice), keeps the screen on (Screen Wake Lock) and reports
finished reps and button/key presses back; see backtrack.clock for what it gets and sends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
NAME = "backtrack_session_clock"

_mount = st.components.v2.component(
    NAME,
    html=(HERE / "clock.html").read_text(encoding="utf-8"),
    css=(HERE / "clock.css").read_text(encoding="utf-8"),
    js=(HERE / "clock.js").read_text(encoding="utf-8"),
)


def session_clock(
    data: dict,
    *,
    key: str,
    on_report: Callable[[], None],
    on_action: Callable[[], None],
    on_sound: Callable[[], None],
) -> None:
    """Mount the clock. Its reports arrive as trigger values "report", "action" and "sound"
    in st.session_state[key], read by the callbacks."""
    _mount(
        key=key,
        data=data,
        on_report_change=on_report,
        on_action_change=on_action,
        on_sound_change=on_sound,
    )
