"""The per-day summary: its figures, and the cache that patches it with each write."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backtrack.days import RATINGS, day_summary, patched_days, same_days
from backtrack.entries import SLOTS, Entry
from backtrack.frames import FrameCache, load_frame
from backtrack.store import JournalStore
from backtrack.summaries import daily_summary

IDS = ["knee_hugs", "clam"]
D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)


def entry(day=D1, slot="morning", pain=4, flags=(), notes="", **reps) -> Entry:
    return Entry(day, slot, pain, reps, flags, notes)


def assert_matches_a_full_build(cache: FrameCache, store: JournalStore) -> None:
    journal = cache.journal()
    frame = load_frame(store, IDS)
    pd.testing.assert_frame_equal(journal.frame, frame)
    assert same_days(journal.days, day_summary(frame, IDS))


def test_one_row_per_day_with_its_sums_sessions_reps_flags_and_notes(store):
    store.save(entry(D1, "evening", 6, ("injury",), "rest"))
    store.save(entry(D1, "morning", 4, notes="stiff", clam=10))
    store.save(entry(D3, "morning", 2, ("night_pain",), knee_hugs=5, clam=3))
    days = day_summary(load_frame(store, IDS), IDS)
    assert days.dates.astype("datetime64[D]").tolist() == [D1, D3]
    assert days.rating_sum["pain"].tolist() == [10.0, 2.0]
    assert days.rating_count["pain"].tolist() == [2, 1]
    assert days.mean().tolist() == [5.0, 2.0]
    assert days.entries.tolist() == [2, 1]
    assert days.sessions.tolist() == [1, 1]
    assert days.done.tolist() == [[True, False], [True, False]]
    assert days.reps[:, SLOTS.index("morning")].tolist() == [[0, 10], [5, 3]]
    assert days.flags.tolist() == ["injury", "night_pain"]
    assert days.notes.tolist() == ["morning: stiff\nevening: rest", ""]
    assert days.span(np.datetime64(D2, "ns"), None) == slice(1, 2)


def test_a_missing_rating_is_not_counted():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-11-01", "2026-11-01"]),
            "slot": ["morning", "evening"],
            "pain": [4.0, float("nan")],
            "done": [True, False],
            "flags": ["", ""],
            "notes": ["", ""],
        }
    )
    days = day_summary(frame)
    assert days.rating_count["pain"].tolist() == [1]
    assert days.mean().tolist() == [4.0]
    assert RATINGS[0] == "pain"  # a second rating (leg pain) is one more name in RATINGS


def test_patches_add_edit_and_delete_entries_and_drop_an_emptied_day(store):
    cache = FrameCache(store, IDS)
    store.save(entry(D1, "morning", 4, clam=10))
    store.save(entry(D2, "evening", 5))
    assert_matches_a_full_build(cache, store)
    store.save(entry(D3, "morning", 7, ("injury",), "x"))  # add a new last day
    store.save(entry(date(2026, 10, 30), "evening", 1))  # add a new first day
    assert_matches_a_full_build(cache, store)
    store.save(entry(D1, "morning", 9, knee_hugs=3), replace=True)  # edit
    assert_matches_a_full_build(cache, store)
    store.delete(D2, "evening")  # the day's last entry: the day goes
    journal = cache.journal()
    assert D2 not in journal.days.dates.astype("datetime64[D]").tolist()
    assert_matches_a_full_build(cache, store)
    store.save(entry(D2, "morning", 2), original=None)  # the day comes back
    store.save(entry(D3, "evening", 3), original=entry(D3, "morning", 7, ("injury",), "x"))
    assert_matches_a_full_build(cache, store)


def test_a_restore_reloads_days_and_unheld_in_full(store):
    from backtrack.backup import make_backup, restore

    cache = FrameCache(store, IDS)
    store.save(entry(D1, "morning", 4))
    backup = make_backup(store.path, "manual")
    store.save(entry(D2, "morning", 6))
    before = cache.journal()
    restore(store.path, backup)
    store.save(entry(D3, "morning", 1))  # the log cannot bridge the restore: a full load
    after = cache.journal()
    assert after.revision != before.revision
    assert after.days.dates.astype("datetime64[D]").tolist() == [D1, D3]
    assert after.unheld == store.unheld()
    assert_matches_a_full_build(cache, store)


def test_a_patch_with_no_touched_day_is_the_same_summary(store):
    store.save(entry(D1))
    frame = load_frame(store, IDS)
    days = day_summary(frame, IDS)
    assert patched_days(days, [], frame) is days


def test_daily_summary_from_the_cache_equals_one_from_the_frame(store):
    for n in range(20):
        store.save(entry(D1 + timedelta(days=n), SLOTS[n % 2], n % 11, notes="n" * (n % 3)))
    journal = FrameCache(store, IDS).journal()
    start, end = D1 + timedelta(days=3), D1 + timedelta(days=25)
    pd.testing.assert_frame_equal(
        daily_summary(journal.frame, start, end, journal.days),
        daily_summary(journal.frame, start, end),
    )


WRITES = st.lists(
    st.tuples(
        st.sampled_from(["save", "delete", "import", "move"]),
        st.integers(0, 5),  # day
        st.sampled_from(SLOTS),
        st.integers(0, 10),  # pain
        st.booleans(),  # a session done
        st.sampled_from(["", "injury"]),
        st.sampled_from(["", "note"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=WRITES, every=st.integers(1, 4))
def test_random_writes_patched_equal_a_from_scratch_build(tmp_path_factory, writes, every):
    store = JournalStore(tmp_path_factory.mktemp("days") / "journal.db")
    cache = FrameCache(store, IDS)
    for i, (kind, day_n, slot, pain, done, flag, note) in enumerate(writes):
        day = D1 + timedelta(days=day_n)
        reps = {"clam": 5} if done else {}
        new = Entry(day, slot, pain, reps, (flag,) if flag else (), note)
        if kind == "delete":
            store.delete(day, slot)
        elif kind == "import":
            store.import_entries([new, Entry(day + timedelta(days=1), slot, pain)])
        elif kind == "move":
            old = store.get(D1 + timedelta(days=(day_n + 2) % 6), slot)
            if old is not None and old.key != new.key:
                store.save(new, original=old, replace=True)
        else:
            store.save(new, replace=True)
        if i % every == 0:  # let writes pile up at times: one patch of several days
            assert_matches_a_full_build(cache, store)
    assert_matches_a_full_build(cache, store)


def test_leg_pain_is_summed_only_where_rated_and_patched_with_each_write(store):
    import dataclasses

    cache = FrameCache(store, IDS)
    store.save(dataclasses.replace(entry(D1, "morning", 4), leg_pain=3))
    store.save(entry(D1, "evening", 5))  # leg not rated
    days = cache.journal().days
    assert (days.rating_sum["leg_pain"].tolist(), days.rating_count["leg_pain"].tolist()) == (
        [3.0], [1])  # fmt: skip
    store.save(dataclasses.replace(entry(D1, "evening", 5), leg_pain=7), replace=True)
    assert cache.journal().days.mean("leg_pain").tolist() == [5.0]
    assert_matches_a_full_build(cache, store)
