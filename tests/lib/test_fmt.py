"""Tests for how figures and dates read: one set of formatters for pages, PDF and CLI."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtrack.fmt import (
    fmt_adherence,
    fmt_change,
    fmt_date,
    fmt_date_time,
    fmt_day_month,
    fmt_fraction,
    fmt_pain,
    fmt_pct,
    fmt_points,
    fmt_range,
    fmt_short_date,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [(4, "4.0"), (0, "0.0"), (3.5, "3.5"), (10 / 3, "3.3"), (2.25, "2.3"), (4.96, "5.0")],
)
def test_fmt_pain_shows_one_decimal(value: float, text: str) -> None:
    assert fmt_pain(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-3, "-3.0"),
        (2, "+2.0"),
        (0, "0.0"),
        (-0.04, "0.0"),
        (1.9999999999999996, "+2.0"),
        (-1.96, "-1.9"),  # toward zero: never shows a threshold that was not reached
        (0.5, "+0.5"),
    ],
)
def test_fmt_change_is_signed_with_one_decimal(value: float, text: str) -> None:
    assert fmt_change(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(-50.0, "-50%"), (20, "+20%"), (0, "0%"), (-29.999999999999993, "-30%"), (-29.6, "-29%")],
)
def test_fmt_pct_is_a_signed_whole_percent(value: float, text: str) -> None:
    assert fmt_pct(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(0.7, "70%"), (1, "100%"), (0, "0%"), (39 / 56, "69%"), (0.57, "57%")]
)
def test_fmt_adherence_is_a_whole_percent_rounded_down(value: float, text: str) -> None:
    assert fmt_adherence(value) == text


def test_formatters_show_unknown_values_as_n_a() -> None:
    assert {fmt_pain(None), fmt_change(None), fmt_pct(None), fmt_adherence(None)} == {"n/a"}


def test_fmt_date_is_readable_and_locale_free() -> None:
    assert fmt_date(date(2025, 3, 16)) == "Sunday 16 March 2025"


def test_short_dates_are_locale_free_and_unpadded() -> None:
    assert fmt_short_date(date(2025, 3, 3)) == "Mon 3 Mar 2025"
    assert fmt_day_month(date(2025, 3, 16)) == "Sun 16 Mar"
    assert fmt_date_time(datetime(2025, 3, 3, 8, 5)) == "Mon 3 Mar 2025 08:05"
    assert fmt_range(date(2025, 3, 3), date(2025, 3, 4)) == "Mon 3 Mar 2025 to Tue 4 Mar 2025"


@pytest.mark.parametrize(("value", "text"), [(0.7, "70%"), (0.3, "30%"), (0.25, "25%")])
def test_fmt_fraction_is_a_whole_percent(value: float, text: str) -> None:
    assert fmt_fraction(value) == text


@pytest.mark.parametrize(("value", "text"), [(2.0, "2"), (1.5, "1.5"), (3, "3")])
def test_fmt_points_drops_a_needless_decimal(value: float, text: str) -> None:
    assert fmt_points(value) == text


@given(st.floats(min_value=-20, max_value=20, allow_nan=False))
def test_fmt_pain_is_decimal_half_up_of_the_value_to_9_places(value):
    from decimal import ROUND_HALF_UP, Decimal

    text = str(Decimal(repr(round(value, 9))).quantize(Decimal("0.1"), ROUND_HALF_UP))
    assert fmt_pain(value) == ("0.0" if text == "-0.0" else text)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.15, "1.2"), (2.35, "2.4"), (-2.25, "-2.3"), (-0.04, "0.0"), (9.95, "10.0"), (0.05, "0.1")],
)
def test_fmt_pain_halves_round_away_from_zero(value, text):
    assert fmt_pain(value) == text
