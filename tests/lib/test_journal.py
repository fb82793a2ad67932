from __future__ import annotations

import inspect

import pytest

from backtrack.journal import JOURNAL_METHODS, Journal
from backtrack.store import JournalStore


def same_signature(impl: type, name: str) -> None:
    """`impl.name` takes the parameters Journal.name declares, with the same defaults."""
    want = inspect.signature(getattr(Journal, name))
    got = inspect.signature(getattr(impl, name))
    shape = [(p.name, p.kind, p.default) for p in want.parameters.values()]
    assert [(p.name, p.kind, p.default) for p in got.parameters.values()] == shape, name


def test_the_interface_lists_every_method_pages_use():
    for name in ("save", "delete", "frame_rows", "changed_rows", "revision", "outcomes",
                 "save_outcomes", "get_setting", "set_setting", "import_entries"):  # fmt: skip
        assert name in JOURNAL_METHODS


@pytest.mark.parametrize("name", JOURNAL_METHODS)
def test_sqlite_store_keeps_the_journal_interface(name):
    same_signature(JournalStore, name)


def test_sqlite_store_is_a_journal(store):
    assert isinstance(store, Journal)
