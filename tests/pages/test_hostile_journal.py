"""The app against hostile journals and local files (issue 11): an old journal holding
dates the journal cannot use, another program's database, and Markdown in file names and
in the programme file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from backtrack.backup import backups_dir, list_backups, make_backup
from backtrack.entries import Entry
from backtrack.programme import DEFAULT_PROGRAMME
from backtrack.store import JournalStore

PAGES = ["pages/today.py", "pages/log.py", "pages/session.py", "pages/exercises.py",
         "pages/progress.py", "pages/report.py", "pages/data.py"]  # fmt: skip
# An image from another host, as Markdown: rendered, the page would fetch it.
IMAGE = r"![x](http:\\example.invalid\x.png)"


def walk(node):
    """Every element under an AppTest node."""
    children = getattr(node, "children", None)
    if children:
        for child in children.values():
            yield from walk(child)
    elif getattr(node, "proto", None) is not None:
        yield node


def shown_text(at) -> str:
    """What the page renders as Markdown: every element, but of a select box its label
    only (its options are shown as plain text), and nothing of the session clock (its
    script sets every text as textContent: never Markdown, never HTML)."""
    return "\n".join(
        e.proto.label if e.type == "selectbox" else "" if e.type == "bidi_component"
        else str(e.proto) for e in walk(at._tree)
    )  # fmt: skip


def journal_holding_1600() -> Path:
    store = JournalStore()
    store.save(Entry(date.today(), "morning", 4, {"clam": 10}))
    make_backup(store.path, "manual")
    conn = sqlite3.connect(store.path)
    conn.execute(
        "INSERT INTO entries (date, slot, pain, updated_at) VALUES ('1600-01-01', 'evening', 3, "
        "'x')"
    )
    conn.commit()
    conn.close()
    return store.path


@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_on_a_journal_holding_a_date_from_1600_and_says_so(app, page):
    journal_holding_1600()
    at = app(page)
    assert not at.exception
    warning = [w.value for w in at.warning if "cannot use" in w.value]
    assert warning and "1600\\-01\\-01 evening" in warning[0]


def test_every_page_works_on_a_journal_whose_revision_counter_was_edited(app):
    """The counter is only a cache key: the app sets it right on opening and shows every
    entry (see JournalStore._repair_revision)."""
    store = JournalStore()
    store.save(Entry(date.today(), "morning", 7, {"clam": 10}, (), "kept-note"))
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE settings SET value = '²' WHERE key = 'revision'")
    for page in PAGES:
        at = app(page)
        assert not at.exception, page
    at = app("pages/log.py")
    assert at.table[0].value["Pain (0-10)"].tolist() == [7]


def test_the_data_page_restores_a_backup_over_a_journal_holding_a_date_from_1600(app):
    db = journal_holding_1600()
    at = app("pages/data.py")
    options = at.selectbox(key="data_backup").options
    at.selectbox(key="data_backup").select_index(
        next(i for i, o in enumerate(options) if "manual" in o)).run()  # fmt: skip
    at.button(key="data_restore").click().run()
    at.button(key="data_restore_yes").click().run()
    assert not at.exception and "Restored the backup" in at.success[0].value
    assert JournalStore(db).unheld() == (0, [])
    at.switch_page("pages/today.py").run()
    assert not [w for w in at.warning if "cannot use" in w.value]


def test_the_date_pickers_keep_to_1900_to_today(app):
    JournalStore().save(Entry(date.today(), "morning", 4))
    pickers = [("pages/log.py", "log_date"), ("pages/log.py", "log_find"),
               ("pages/report.py", "report_range"), ("pages/data.py", "data_start")]  # fmt: skip
    for page, key in pickers:
        at = app(page)
        picker = at.date_input(key=key).proto
        assert (picker.min, picker.max) == ("1900-01-01", date.today().isoformat())


def test_another_programs_database_as_the_journal_is_refused_byte_identical(app, tmp_path):
    db = tmp_path / "journal.db"  # BACKTRACK_DB in the tests
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../../app.py", default_timeout=30).run()
    assert at.title[0].value == "BackTrack cannot start"
    assert "not a BackTrack journal" in at.error[0].value
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.db"]


def test_markdown_in_the_programme_and_in_backup_names_is_shown_literally(
    app, tmp_path, monkeypatch
):
    text = DEFAULT_PROGRAMME.read_text(encoding="utf-8")
    text = text.replace('name = "Knee Hugs"', f'name = "Knee Hugs {IMAGE}"'.replace("\\", "\\\\"))
    text = text.replace("Lie flat on your back", f"{IMAGE} Lie flat".replace("\\", "\\\\"))
    text = text.replace('why = "Gently', f'why = "{IMAGE} Gently'.replace("\\", "\\\\"))
    hostile = tmp_path / "programme.toml"
    hostile.write_text(text, encoding="utf-8")
    monkeypatch.setenv("BACKTRACK_PROGRAMME", str(hostile))
    store = JournalStore()
    store.save(Entry(date.today(), "morning", 4))
    made = make_backup(store.path, "manual")
    made.rename(made.with_name(made.name.replace("manual", f"manual {IMAGE}")))
    assert any(IMAGE in b.reason for b in list_backups(store.path))
    for page in ["pages/exercises.py", "pages/log.py", "pages/session.py", "pages/data.py"]:
        at = app(page)
        if page == "pages/session.py":
            at.button(key="session_start").click().run()
            (clock,) = at.get("bidi_component")
            assert f"Knee Hugs {IMAGE}" in json.loads(clock.proto.json)["steps"][0]["word"]
        if page == "pages/data.py":
            at.selectbox(key="data_backup").select_index(
                next(i for i, o in enumerate(at.selectbox(key="data_backup").options)
                     if "example.invalid" in o)).run()  # fmt: skip
            at.button(key="data_restore").click().run()
        shown = shown_text(at)
        if page != "pages/session.py":  # there the names are all in the clock (above)
            assert "example" in shown and "invalid" in shown, page  # the text is there...
        assert "![" not in shown and "](" not in shown, page  # ...but never as Markdown
    assert backups_dir(store.path).is_dir()
