"""The two-week check v2: leg pain, function (PSFS), the person's own verdict (PGIC), the
30%-and-1-point rule and "what got in the way", at every boundary and in mixed cases."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest

from backtrack.outcomes import Outcome
from backtrack.progress import (
    BARRIERS,
    Status,
    barrier_setting,
    current_barrier,
    two_week_check,
)

D1 = date(2025, 3, 3)
AS_OF = D1 + timedelta(days=13)  # day 14
RECENT = range(8, 15)  # the recent window's days on day 14


def day(n: int) -> date:
    return D1 + timedelta(days=n - 1)


def frame(
    back: dict[int, float], leg: dict[int, float] | None = None, *, done: bool = True
) -> pd.DataFrame:
    """A journal frame: per programme day a back-pain daily mean (x.5 = a morning x and an
    evening x+1) and optionally a leg-pain rating (both entries of the day)."""
    leg = leg or {}
    rows = []
    for n, pain in sorted(back.items()):
        low = int(pain)
        high = low + 1 if pain != low else low
        for slot, p in (("morning", low), ("evening", high)):
            rows.append(
                {
                    "date": pd.Timestamp(day(n)),
                    "slot": slot,
                    "pain": p,
                    "knee_hugs": 10 if done else 0,
                    "done": done,
                    "flags": "",
                    "notes": "",
                    "reactions": "",
                    "leg_pain": leg.get(n, float("nan")),
                }
            )
    out = pd.DataFrame(rows)
    out["date"] = out["date"].astype("datetime64[ns]")
    return out


def flat(baseline: float, recent: float, **kw) -> pd.DataFrame:
    return frame({**dict.fromkeys(range(1, 8), baseline), **dict.fromkeys(RECENT, recent)}, **kw)


def psfs(n: int, scores: dict[int, int]) -> list[Outcome]:
    return [Outcome(day(n), "psfs", i, s, f"Activity {i}") for i, s in scores.items()]


def pgic(n: int, score: int) -> list[Outcome]:
    return [Outcome(day(n), "pgic", 1, score)]


def check(journal, outcomes=(), **kw):
    return two_week_check(journal, as_of=AS_OF, outcomes=outcomes, **kw)


# ---------------------------------------------------------------- back pain


@pytest.mark.parametrize(
    ("baseline", "recent", "status"),
    [
        (4.0, 6.0, Status.WORSE),  # exactly +2 points
        (4.0, 5.5, Status.NO_CLEAR_PROGRESS),
        (6.0, 4.0, Status.IMPROVING),  # exactly -2 points
        (5.0, 3.5, Status.IMPROVING),  # exactly -30% (1.5 points)
        (5.0, 4.0, Status.NO_CLEAR_PROGRESS),  # 1 point but 20%
        (2.0, 1.0, Status.IMPROVING),  # 50% and exactly 1 point
        (1.5, 1.0, Status.NO_CLEAR_PROGRESS),  # 33% but half a point
    ],
)
def test_back_pain_thresholds(baseline, recent, status):
    result = check(flat(baseline, recent))
    assert result.status is status
    assert result.signals == (("pain",) if status in (Status.WORSE, Status.IMPROVING) else ())


def test_2_to_1_4_is_30_percent_but_under_a_point_so_not_meaningful():
    # Five recent rated days of 1.5, 1.5, 1.5, 1.5, 1: mean 1.4, exactly 30% below 2.0.
    back = {**dict.fromkeys(range(1, 8), 2.0), 10: 1.5, 11: 1.5, 12: 1.5, 13: 1.5, 14: 1.0}
    result = check(frame(back))
    assert result.recent_pain == pytest.approx(1.4)
    assert result.change_pct == pytest.approx(-30.0)
    assert result.status is Status.NO_CLEAR_PROGRESS


def test_exactly_30_percent_with_exactly_one_point_is_improving():
    # Baseline 10/3 (3.5, 3.5, 3 on three days), recent 7/3 (2.5, 2.5, 2): -1 point, -30%.
    back = {1: 3.5, 2: 3.5, 3: 3.0, 12: 2.5, 13: 2.5, 14: 2.0}
    result = check(frame(back))
    assert result.change == pytest.approx(-1.0)
    assert result.change_pct == pytest.approx(-30.0)
    assert result.status is Status.IMPROVING


# ---------------------------------------------------------------- leg pain


def _leg(recent_days: int, rise: float) -> pd.DataFrame:
    leg = {
        **dict.fromkeys(range(1, 4), 2.0),
        **dict.fromkeys(range(14 - recent_days + 1, 15), 2.0 + rise),
    }
    return flat(4.0, 4.0, leg=leg)


def test_leg_pain_up_2_points_on_3_rated_days_in_both_windows_is_worse():
    result = check(_leg(3, 2.0))
    assert (result.status, result.signals) == (Status.WORSE, ("leg_pain",))
    assert result.leg_change == pytest.approx(2.0)


def test_leg_pain_on_only_2_rated_recent_days_does_not_count():
    result = check(_leg(2, 5.0))
    assert result.status is Status.NO_CLEAR_PROGRESS
    assert result.leg_change is None
    assert result.leg_recent == pytest.approx(7.0)  # shown, not judged


def test_leg_pain_up_under_2_points_is_not_worse():
    assert check(_leg(3, 1.9)).status is Status.NO_CLEAR_PROGRESS


def test_a_journal_without_a_leg_pain_column_still_checks():
    journal = flat(6.0, 4.0).drop(columns="leg_pain")
    result = check(journal)
    assert (result.status, result.leg_baseline, result.leg_change) == (Status.IMPROVING, None, None)


# ---------------------------------------------------------------- PSFS


@pytest.mark.parametrize(("rise", "status"), [(2, Status.IMPROVING), (1, Status.NO_CLEAR_PROGRESS)])
def test_psfs_mean_up_2_points_is_improving(rise, status):
    outcomes = psfs(2, {1: 3, 2: 4}) + psfs(13, {1: 3 + rise, 2: 4 + rise})
    result = check(flat(5.0, 5.0), outcomes)
    assert result.status is status
    assert result.psfs_change == pytest.approx(rise)
    assert ("function" in result.signals) is (status is Status.IMPROVING)


def test_psfs_mean_up_1_8_points_is_not_enough():
    # Items 1-5: +2, +2, +2, +2, +1 = mean +1.8.
    outcomes = psfs(1, dict.fromkeys(range(1, 6), 4)) + psfs(14, {1: 6, 2: 6, 3: 6, 4: 6, 5: 5})
    result = check(flat(5.0, 5.0), outcomes)
    assert result.psfs_change == pytest.approx(1.8)
    assert result.status is Status.NO_CLEAR_PROGRESS


def test_psfs_compares_only_items_rated_in_both():
    # Item 3 is only in the follow-up (at 10): it must not lift the mean.
    outcomes = psfs(1, {1: 2, 2: 2}) + psfs(14, {1: 3, 2: 3, 3: 10})
    result = check(flat(5.0, 5.0), outcomes)
    assert (result.psfs_baseline, result.psfs_recent) == (2.0, 3.0)
    assert result.status is Status.NO_CLEAR_PROGRESS


def test_psfs_baseline_must_be_in_days_1_to_7_and_follow_up_a_week_later_in_the_window():
    late_baseline = psfs(8, {1: 2}) + psfs(14, {1: 9})
    assert check(flat(5.0, 5.0), late_baseline).psfs_change is None
    # Day 7 and day 13 are 6 days apart: not a follow-up.
    too_soon = psfs(7, {1: 2}) + psfs(13, {1: 9})
    assert check(flat(5.0, 5.0), too_soon).psfs_change is None
    ok = psfs(7, {1: 2}) + psfs(14, {1: 9})
    assert check(flat(5.0, 5.0), ok).psfs_change == pytest.approx(7.0)


def test_the_latest_psfs_in_the_window_counts():
    outcomes = psfs(1, {1: 2}) + psfs(9, {1: 9}) + psfs(14, {1: 3})
    assert check(flat(5.0, 5.0), outcomes).psfs_recent == 3.0


# ---------------------------------------------------------------- PGIC


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (1, Status.IMPROVING),
        (2, Status.IMPROVING),
        (3, Status.NO_CLEAR_PROGRESS),
        (4, Status.NO_CLEAR_PROGRESS),
        (5, Status.NO_CLEAR_PROGRESS),
        (6, Status.WORSE),
        (7, Status.WORSE),
    ],
)
def test_pgic_answers(answer, status):
    result = check(flat(5.0, 5.0), pgic(14, answer))
    assert result.status is status
    assert result.pgic == answer
    assert ("pgic" in result.signals) is (status is not Status.NO_CLEAR_PROGRESS)


def test_only_the_latest_pgic_in_the_recent_window_counts():
    assert check(flat(5.0, 5.0), pgic(7, 1)).pgic is None  # before the window
    assert check(flat(5.0, 5.0), pgic(9, 1) + pgic(12, 4)).status is Status.NO_CLEAR_PROGRESS


# ---------------------------------------------------------------- mixed cases


def test_worse_wins_over_improving_and_names_only_its_own_signals():
    result = check(flat(6.0, 4.0), pgic(14, 6))  # back pain -2 but "much worse"
    assert (result.status, result.signals) == (Status.WORSE, ("pgic",))


def test_every_supporting_measure_is_named_in_order():
    outcomes = psfs(1, {1: 2}) + psfs(14, {1: 5}) + pgic(14, 1)
    result = check(flat(6.0, 4.0), outcomes)
    assert result.signals == ("pain", "function", "pgic")
    worse = check(
        _leg(3, 3.0).assign(pain=lambda f: f["pain"] + (f["date"] >= pd.Timestamp(day(8))) * 2)
    )
    assert worse.signals == ("pain", "leg_pain")


def test_not_enough_back_pain_ratings_wins_over_outcomes():
    back = {1: 5.0, 2: 5.0, **dict.fromkeys(RECENT, 5.0)}
    assert check(frame(back), pgic(14, 1)).status is Status.NOT_ENOUGH_DATA


def test_too_early_wins_over_everything():
    result = two_week_check(flat(5.0, 5.0), as_of=day(13), outcomes=pgic(13, 7))
    assert result.status is Status.TOO_EARLY


def test_outcomes_outside_the_programme_or_after_as_of_are_ignored():
    outcomes = pgic(15, 1) + [Outcome(D1 - timedelta(days=1), "pgic", 1, 1)]
    assert check(flat(5.0, 5.0), outcomes).pgic is None


# ---------------------------------------------------------------- low adherence and barriers


def low_adherence() -> pd.DataFrame:
    return flat(5.0, 5.0, done=False)


def test_low_adherence_asks_what_got_in_the_way():
    result = check(low_adherence())
    assert result.status is Status.LOW_ADHERENCE
    assert "What got in the way?" in result.message
    assert "70%" in result.message and "own rule" in result.message


def test_made_my_pain_worse_turns_the_advice_into_a_review_now():
    result = check(low_adherence(), barrier="pain_worse")
    assert "Get your programme reviewed now" in result.message
    assert "two more weeks" not in result.message
    assert result.to_json()["barrier"] == "pain_worse"
    assert "made my pain worse" in result.summary


@pytest.mark.parametrize("reason", [r for r in BARRIERS if r != "pain_worse"])
def test_other_barriers_keep_the_two_more_weeks_advice(reason):
    message = check(low_adherence(), barrier=reason).message
    assert "two more weeks" in message and "reviewed now" not in message


def test_a_barrier_only_applies_to_low_adherence():
    assert check(flat(6.0, 4.0), barrier="no_time").barrier is None


def test_an_unknown_barrier_is_refused_by_name():
    with pytest.raises(ValueError, match="barrier: 'lazy'"):
        check(low_adherence(), barrier="lazy")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (barrier_setting("forgot", AS_OF), "forgot"),
        (barrier_setting("forgot", AS_OF - timedelta(days=6)), "forgot"),
        (barrier_setting("forgot", AS_OF - timedelta(days=7)), None),  # older than the window
        (barrier_setting("forgot", AS_OF + timedelta(days=1)), None),  # from the future
        ('{"reason": "lazy", "on": "2025-03-16"}', None),
        ("not json", None),
        ('["forgot"]', None),
        (None, None),
    ],
)
def test_current_barrier(value, expected):
    assert current_barrier(value, AS_OF) == expected


def test_barrier_setting_refuses_an_unknown_reason():
    with pytest.raises(ValueError, match="reason"):
        barrier_setting("lazy", AS_OF)


# ---------------------------------------------------------------- JSON and messages


def test_json_has_the_v2_keys_with_null_where_not_available():
    data = json.loads(json.dumps(check(flat(5.0, 5.0)).to_json()))
    for key in ("leg_baseline", "leg_recent", "leg_change", "psfs_baseline", "psfs_recent",
                "psfs_change", "pgic"):  # fmt: skip
        assert data[key] is None
    assert data["signals"] == []
    full = check(_leg(3, 2.0), psfs(1, {1: 2}) + psfs(14, {1: 3}) + pgic(14, 3)).to_json()
    assert (full["leg_change"], full["psfs_change"], full["pgic"]) == (2.0, 1.0, 3)
    assert full["signals"] == ["leg_pain"]


def test_worse_message_gives_advice_for_the_meantime():
    message = check(flat(4.0, 6.0)).message
    for words in ("ease off any exercise", "do not wait two more weeks", "GP"):
        assert words in message


def test_the_summary_speaks_about_the_person_not_to_them():
    for journal, outcomes in [(flat(4.0, 6.0), ()), (flat(6.0, 4.0), pgic(14, 2)),
                              (low_adherence(), ()), (flat(5.0, 5.0), ())]:  # fmt: skip
        summary = check(journal, outcomes).summary
        assert summary and " you" not in f" {summary.lower()}" and "your" not in summary.lower()
