"""The journal frame: its shape, and the cache that patches it with each write."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

from backtrack.entries import SLOTS, Entry
from backtrack.frames import SPLICE_MAX, FrameCache, load_frame, patched_frame

IDS = ["knee_hugs", "clam"]
D1, D2 = date(2026, 11, 1), date(2026, 11, 2)


def entry(day=D1, slot="morning", pain=4, **reps) -> Entry:
    return Entry(day, slot, pain, reps, (), "")


def test_frame_has_one_row_per_entry_with_reps_columns(store):
    store.save(Entry(D2, "evening", 6, {}, ("injury",), "rest"))
    store.save(Entry(D2, "morning", 4, {"clam": 10}, (), "", leg_pain=2))
    store.save(Entry(D1, "morning", 5, {"knee_hugs": 10, "clam": 9}, (), "x"))
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-02"]).astype(
                "datetime64[ns]"
            ),  # fmt: skip
            "slot": ["morning", "morning", "evening"],
            "pain": [5, 4, 6],
            "knee_hugs": [10, 0, 0],
            "clam": [9, 10, 0],
            "done": [True, True, False],
            "flags": ["", "", "injury"],
            "notes": ["x", "", "rest"],
            "reactions": ["", "", ""],
            "leg_pain": [float("nan"), 2.0, float("nan")],
        }
    )
    pd.testing.assert_frame_equal(load_frame(store, IDS), expected, check_dtype=False)
    assert load_frame(store, IDS)["date"].dtype == "datetime64[ns]"


def test_empty_frame_keeps_its_columns(store):
    frame = load_frame(store, IDS)
    assert list(frame.columns) == [
        "date",
        "slot",
        "pain",
        *IDS,
        "done",
        "flags",
        "notes",
        "reactions",
        "leg_pain",
    ]
    assert frame.empty


def test_the_frame_cache_patches_writes_and_matches_a_full_reload(store):
    cache = FrameCache(store, IDS)
    assert cache.get()[1].empty
    store.save(entry(D1, "evening", 3, clam=10))
    store.save(entry(D1, "morning", 4))
    store.save(entry(D2, "morning", 5, knee_hugs=10), original=None)
    first_revision, first = cache.get()
    pd.testing.assert_frame_equal(first, load_frame(store, IDS))
    store.save(entry(D1, "morning", 9, knee_hugs=3), replace=True)  # replace
    store.delete(D1, "evening")  # delete
    store.save(entry(D2, "evening", 2), original=entry(D2, "morning", 5, knee_hugs=10))  # move
    store.import_entries([entry(date(2026, 10, 30), "morning", 1)])  # an earlier day
    store.set_start_date(D1)  # a write that touches no entry
    revision, patched = cache.get()
    assert revision == store.revision() > first_revision
    pd.testing.assert_frame_equal(patched, load_frame(store, IDS))
    assert cache.get()[1] is patched  # nothing new: the same frame, no reload


def test_patching_gives_up_when_the_change_log_cannot_tell(store):
    from backtrack.backup import make_backup, restore

    store.save(entry(D1, "morning", 4))
    backup = make_backup(store.path, "manual")
    revision, _ = store.frame_rows(IDS)
    store.save(entry(D2, "morning", 6))
    restore(store.path, backup)  # the file is replaced: its log does not cover the jump
    assert store.changed_rows(revision, IDS) is None


def test_patched_rows_keep_morning_before_evening(store):
    store.save(entry(D1, "evening", 3))
    store.save(entry(D2, "morning", 5))
    frame = load_frame(store, IDS)
    store.save(entry(D1, "morning", 4))  # lands before the evening already in the frame
    store.save(entry(D2, "evening", 6))
    fresh = load_frame(store, IDS)
    keys = [(D1.isoformat(), "morning"), (D2.isoformat(), "evening")]
    patched = patched_frame(frame, keys, fresh[fresh["pain"].isin([4, 6])])
    assert list(zip(patched["date"].dt.day, patched["slot"], strict=True)) == [
        (1, "morning"), (1, "evening"), (2, "morning"), (2, "evening")]  # fmt: skip
    pd.testing.assert_frame_equal(patched, fresh)


def test_reactions_reach_the_frame_and_its_patches(store):
    cache = FrameCache(store, IDS)
    store.save(Entry(D1, "morning", 4, {"clam": 10}, reactions={"clam": "worse"}))
    assert cache.get()[1]["reactions"].tolist() == ["clam=worse"]
    store.save(
        Entry(
            D1, "morning", 4, {"clam": 10}, reactions={"clam": "fine", "knee_hugs": "leg_symptoms"}
        ),
        replace=True,
    )
    assert cache.get()[1]["reactions"].tolist() == ["clam=fine;knee_hugs=leg_symptoms"]
    pd.testing.assert_frame_equal(cache.get()[1], load_frame(store, IDS))


def test_random_writes_patched_one_by_one_or_together_match_a_full_reload(store):
    # Saves, replacements, deletions and imports on a handful of days, in a random order:
    # after each write (a splice of a few keys) and after a batch of them (many keys), the
    # patched frame is the frame a full reload gives, row for row and dtype for dtype.
    rng = random.Random(10)
    days = [D1 + timedelta(days=n) for n in range(6)]
    cache = FrameCache(store, IDS)
    for step in range(120):
        day, slot = rng.choice(days), rng.choice(SLOTS)
        kind = rng.random()
        if kind < 0.25:
            store.delete(day, slot)
        elif kind < 0.35:
            batch = {(rng.choice(days), rng.choice(SLOTS)) for _ in range(rng.randint(1, 12))}
            store.import_entries([entry(d, s, rng.randint(0, 10)) for d, s in sorted(batch)])
        else:
            reps = {"clam": rng.choice([0, 5])}
            store.save(entry(day, slot, rng.randint(0, 10), **reps), replace=True)
        if step % 7 == 3:
            continue  # let writes pile up: the next get patches several keys at once
        pd.testing.assert_frame_equal(cache.get()[1], load_frame(store, IDS))


def test_a_splice_and_a_resort_give_the_same_frame(store):
    for day in (D1, D2, date(2026, 11, 4)):
        for slot in SLOTS:
            store.save(entry(day, slot, 3))
    frame = load_frame(store, IDS)
    store.delete(D1, "evening")
    store.save(entry(D2, "morning", 9), replace=True)
    store.save(entry(date(2026, 11, 3), "evening", 1))  # a new day between two
    store.save(entry(date(2026, 10, 30), "morning", 2))  # before the first
    store.save(entry(date(2026, 11, 5), "evening", 7))  # after the last
    keys = [(d.isoformat(), s) for d, s in [(D1, "evening"), (D2, "morning"),
            (date(2026, 11, 3), "evening"), (date(2026, 10, 30), "morning"),
            (date(2026, 11, 5), "evening")]]  # fmt: skip
    full = load_frame(store, IDS)
    fresh = full[[(d.date().isoformat(), s) in set(keys) for d, s in zip(
        full["date"], full["slot"], strict=True)]].reset_index(drop=True)  # fmt: skip
    spliced = patched_frame(frame, keys, fresh)
    resorted = patched_frame(frame, keys * (SPLICE_MAX + 1), fresh)  # past the splice limit
    pd.testing.assert_frame_equal(spliced, full)
    pd.testing.assert_frame_equal(resorted, full)


def test_the_frame_cache_carries_the_other_revision(store):
    """The journal it gives says when something besides entries last changed (the key of
    cached settings and answers): an entry write keeps it, any other write moves it on."""
    cache = FrameCache(store, IDS)
    store.save(entry(D1))
    store.set_start_date(D1)
    first = cache.journal()
    assert first.other_revision == first.revision == store.revisions()[1]
    store.save(entry(D2))  # patched in: the other revision stays
    second = cache.journal()
    assert second.revision > first.revision and second.other_revision == first.other_revision
    store.set_setting("barrier", "2026-11-02 time")
    store.delete(D2, "morning")  # patched together with the setting: it moved on
    third = cache.journal()
    assert third.other_revision == third.revision - 1 == store.revisions()[1]
    # Nothing written since: the same revisions, nothing to patch (one transaction).
    assert store.changed_rows(third.revision, IDS) == (third.revision, [], [], third.revision - 1)
    assert cache.journal() is third
