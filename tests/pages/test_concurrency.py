from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

from backtrack.csvio import export_csv
from backtrack.entries import Entry
from backtrack.programme import load_programme
from backtrack.store import JournalStore


def test_two_sessions_and_the_cli_write_at_once_and_nothing_is_lost(app, tmp_path):
    """Two browser sessions log and edit while the command line imports a long file."""
    ids = load_programme().exercise_ids
    first = date.today() - timedelta(days=3000)
    rows = [Entry(first + timedelta(days=i), "morning", i % 11) for i in range(2500)]
    csv = tmp_path / "long.csv"
    csv.write_text(export_csv(rows, ids), encoding="utf-8")
    cli = subprocess.Popen(
        [sys.executable, "-m", "backtrack", "import", str(csv)],
        env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    tab1, tab2 = app("pages/log.py"), app("pages/log.py")
    days = [date.today() - timedelta(days=d) for d in range(6)]
    for i, day in enumerate(days):
        for tab, slot in ((tab1, "morning"), (tab2, "evening")):
            tab.date_input(key="log_date").set_value(day).run()
            tab.radio(key="log_slot").set_value(slot).run()
            tab.radio(key="log_pain").set_value(i).run()
            tab.button(key="log_save").click().run()
            assert not tab.exception and not tab.error, tab.error
            assert "Saved" in tab.success[0].value
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    saved = {(e.date, e.slot): e.pain for e in JournalStore().entries()}
    for i, day in enumerate(days):
        assert saved[(day, "morning")] == i and saved[(day, "evening")] == i
    assert len(saved) == 2500 + 12
