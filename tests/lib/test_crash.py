"""Nothing confirmed is lost: a writer killed mid-burst loses no saved entry and leaves no
half-written one, and writers in several processes at once never see 'database is locked'."""

from __future__ import annotations

import inspect
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from backtrack.entries import SLOTS, Entry
from backtrack.store import JournalStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def entry_for(day: date, slot: str) -> Entry:
    """The entry every writer saves for (day, slot), derived from the date alone so the
    checker knows exactly what each one must hold. Its source is also run by the children."""
    from backtrack.entries import Entry
    from backtrack.symptoms import FLAG_IDS

    n = day.toordinal() * 2 + (slot == "evening")
    exercises = ("knee_hugs", "knee_drops", "clam", "glute_bridge", "psoas_stretch")
    reps = {ex: n * (k + 3) % 101 for k, ex in enumerate(exercises)}
    return Entry(
        day,
        slot,
        n % 11,
        {ex: r for ex, r in reps.items() if r},
        tuple(f for k, f in enumerate(FLAG_IDS) if n >> k & 1),
        f"session {n}\n" + "ß😀" * (n % 300),
    )


def keys_from(first: date, count: int) -> list[tuple[date, str]]:
    """The (date, slot) keys a writer saves, in order: morning then evening, day by day."""
    return [(first + timedelta(days=i // 2), SLOTS[i % 2]) for i in range(count)]


# A writer: one JournalStore.save per entry, then "saved <date> <slot>" on stdout, flushed;
# that line is the confirmation the user would see.
WRITER = f"""
from __future__ import annotations
import sys
from datetime import date, timedelta
from backtrack.entries import SLOTS
from backtrack.store import JournalStore

{inspect.getsource(entry_for)}
{inspect.getsource(keys_from)}
store = JournalStore(sys.argv[1])
for day, slot in keys_from(date.fromisoformat(sys.argv[2]), int(sys.argv[3])):
    store.save(entry_for(day, slot))
    print(f"saved {{day.isoformat()}} {{slot}}", flush=True)
"""
BURST = 3_000


@pytest.fixture
def start_writer():
    """Start writer processes; any still running at the end of the test is killed."""
    started: list[tuple[subprocess.Popen, threading.Timer]] = []

    def start(db: Path, first: date, count: int) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), first.isoformat(), str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        guard = threading.Timer(120, proc.kill)  # a stuck child never hangs the suite
        guard.daemon = True
        guard.start()
        started.append((proc, guard))
        return proc

    yield start
    for proc, guard in started:
        guard.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def read_confirmations(proc: subprocess.Popen, n: int) -> list[tuple[date, str]]:
    confirmed = []
    while len(confirmed) < n:
        line = proc.stdout.readline()
        assert line, f"the writer stopped early: {proc.stderr.read()}"
        word, day, slot = line.split()
        assert word == "saved"
        confirmed.append((date.fromisoformat(day), slot))
    return confirmed


def integrity(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def assert_whole(entries: list[Entry]) -> None:
    """Every stored entry is exactly what its writer saved: no half-written one."""
    for entry in entries:
        assert entry == entry_for(*entry.key), entry.key


# Kill points drawn once from fixed seeds: after 50-150 confirmations, then a pause of up
# to 20 ms so the kill lands at a different moment of a save. The same in every run.
KILL_POINTS = [
    (rnd.randint(50, 150), round(rnd.uniform(0, 0.02), 4))
    for rnd in map(random.Random, (11, 22, 33))
]


@pytest.mark.parametrize(("confirmations", "pause"), KILL_POINTS)
def test_a_writer_killed_mid_burst_loses_no_confirmed_entry(
    tmp_path, start_writer, confirmations, pause
):
    db = tmp_path / "journal.db"
    first = date(2020, 1, 1)
    writer = start_writer(db, first, BURST)
    confirmed = read_confirmations(writer, confirmations)
    time.sleep(pause)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL, "the burst ended before the kill"

    assert integrity(db) == [("ok",)]
    store = JournalStore(db)
    saved = store.entries()
    keys = [e.key for e in saved]
    assert keys[: len(confirmed)] == confirmed
    # Saves run one after another: what is there is the burst's start, with no gap.
    assert keys == keys_from(first, len(keys))
    assert len(keys) < BURST
    assert_whole(saved)
    # The journal is still fully usable after the crash.
    store.save(entry_for(date(2026, 1, 1), "evening"))
    assert store.get(date(2026, 1, 1), "evening") == entry_for(date(2026, 1, 1), "evening")
    assert integrity(db) == [("ok",)]


def test_two_processes_and_this_one_write_at_once_without_locking_errors(tmp_path, start_writer):
    db = tmp_path / "journal.db"
    JournalStore(db)
    count = 400
    firsts = [date(2001, 1, 1), date(2006, 1, 1)]
    writers = [start_writer(db, first, count) for first in firsts]
    # Both children are in their burst before this process starts its own.
    confirmed = [read_confirmations(w, 1) for w in writers]
    store = JournalStore(db)
    mine = keys_from(date(2011, 1, 1), count)
    for i, (day, slot) in enumerate(mine):
        store.save(entry_for(day, slot))
        if i % 50 == 0:
            assert_whole(store.entries())  # reads alongside the writers
    for writer, done in zip(writers, confirmed, strict=True):
        # Not communicate(): it reads the pipe underneath the lines readline() buffered.
        out, err = writer.stdout.read(), writer.stderr.read()
        writer.wait(timeout=120)
        assert writer.returncode == 0 and err == "", err
        done += [(date.fromisoformat(d), s) for _, d, s in map(str.split, out.splitlines())]

    assert integrity(db) == [("ok",)]
    saved = JournalStore(db).entries()
    assert_whole(saved)
    expected = [*keys_from(firsts[0], count), *keys_from(firsts[1], count), *mine]
    assert [e.key for e in saved] == expected
    assert confirmed == [keys_from(first, count) for first in firsts]


def test_stores_opened_at_once_on_a_new_file_all_open_it(tmp_path):
    errors: list[BaseException] = []
    for trial in range(20):
        db = tmp_path / f"journal{trial}.db"
        barrier = threading.Barrier(6)

        def open_store(db=db, barrier=barrier):
            barrier.wait()
            try:
                JournalStore(db).save(entry_for(date(2026, 1, 1), "morning"), replace=True)
            except BaseException as exc:  # re-raised below, in the test's own thread
                errors.append(exc)

        threads = [threading.Thread(target=open_store) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        assert integrity(db) == [("ok",)]
