"""How numbers and dates read, everywhere: pages, the PDF, the CLI and the check's messages.

One place, so a figure never reads '4.0' on a page and '4' in the PDF. Dates are spelt out
here rather than with strftime, whose day and month names follow the machine's locale.
"""

from __future__ import annotations

import math
from datetime import date, datetime

MISSING = "n/a"
NUDGE = 1e-6  # what a figure may fall short of a whole tenth/percent and still reach it

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def fmt_pain(value: float | None) -> str:
    """A pain figure with one decimal, half rounded up: 4 -> '4.0', 2.25 -> '2.3'."""
    if value is None:
        return MISSING
    # Tenths, half away from zero, after rounding off float noise (1.15 * 10 is
    # 11.499999999999998): the same figures as Decimal's ROUND_HALF_UP of the value to 9
    # places, at a tenth of its cost (long ranges format thousands of these).
    number = float(value)
    tenths = math.floor(round(abs(number) * 10, 6) + 0.5)
    if not tenths:
        return "0.0"
    return f"{'-' if number < 0 else ''}{tenths // 10}.{tenths % 10}"


def fmt_change(points: float | None) -> str:
    """A change in points with an explicit sign: -3 -> '-3.0', 2 -> '+2.0', 0 -> '0.0'.

    Rounded toward zero (within NUDGE) so a shown '2.0' always means the 2-point
    threshold was reached: -1.96 shows as '-1.9', not '-2.0'.
    """
    if points is None:
        return MISSING
    tenths = toward_zero(points * 10)
    if tenths == 0:
        return "0.0"
    sign = "+" if tenths > 0 else "-"
    return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10}"


def fmt_pct(percent: float | None) -> str:
    """A percentage change, whole and signed: -50.0 -> '-50%', 20 -> '+20%', 0 -> '0%'.

    Rounded toward zero (within NUDGE) so a shown '-30%' always means 30% was reached.
    """
    if percent is None:
        return MISSING
    whole = toward_zero(percent)
    return f"+{whole}%" if whole > 0 else f"{whole}%"


def fmt_adherence(fraction: float | None) -> str:
    """A share (0-1) as a whole percent, rounded down: 0.7 -> '70%', 0.6964 -> '69%'.

    Rounded down so a result below the 70% threshold never reads as '70%'.
    """
    if fraction is None:
        return MISSING
    return f"{toward_zero(fraction * 100)}%"


def fmt_fraction(fraction: float) -> str:
    """A threshold share as a whole percent: 0.7 -> '70%', 0.3 -> '30%'."""
    return f"{round(fraction * 100)}%"


def fmt_points(points: float) -> str:
    """A threshold in points, without a needless decimal: 2.0 -> '2', 1.5 -> '1.5'."""
    return f"{points:g}"


def fmt_date(day: date) -> str:
    """A date in full, independent of the locale: 'Friday 14 March 2025'."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def fmt_short_date(day: date) -> str:
    """A date in a table or a label: 'Fri 14 Mar 2025'."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def fmt_day_month(day: date) -> str:
    """A recent date where the year goes without saying: 'Fri 14 Mar'."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def fmt_month(day: date) -> str:
    """A month: 'March 2025'."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def fmt_date_time(moment: datetime) -> str:
    """A local date and time: 'Fri 14 Mar 2025 08:05'."""
    return f"{fmt_short_date(moment.date())} {moment:%H:%M}"


def fmt_range(start: date, end: date) -> str:
    """'Fri 14 Mar 2025 to Sat 12 Apr 2025'."""
    return f"{fmt_short_date(start)} to {fmt_short_date(end)}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 day', '3 days'; `many` for a word whose plural is not word + 's' ('entries')."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def toward_zero(value: float) -> int:
    """Truncate toward zero, first nudging by NUDGE so 29.9999999 counts as 30."""
    return int(math.trunc(value + math.copysign(NUDGE, value)))
