"""The safety screen's answers and the red-flag follow-up: advice, storage, moving."""

from __future__ import annotations

from datetime import date

import pytest

from backtrack.screening import (
    CHECKS_KEY,
    HISTORY,
    HISTORY_ADVICE,
    NOT_EXAMINED_NOTE,
    SCREEN_KEY,
    ScreenAnswers,
    ScreenError,
    answer_rows,
    checks_json,
    open_flags,
    parse_checks,
    screen_advice,
    with_check,
)

D = date(2026, 11, 20)


@pytest.mark.parametrize("question", [q.id for q in HISTORY])
def test_any_yes_to_a_history_question_advises_a_check_first(question):
    advice = screen_advice(ScreenAnswers(D, history={question: True}))
    assert advice.history == HISTORY_ADVICE and advice.red_flags is None


def test_no_to_every_question_and_examined_needs_no_advice():
    answers = ScreenAnswers(D, examined=True, duration="under_6_weeks",
                            history={q.id: False for q in HISTORY})  # fmt: skip
    assert not screen_advice(answers).any


def test_not_examined_gets_the_general_advice_note_and_unanswered_gets_nothing():
    assert screen_advice(ScreenAnswers(D, examined=False)).not_examined == NOT_EXAMINED_NOTE
    assert not screen_advice(ScreenAnswers(D)).any


@pytest.mark.parametrize(("flags", "number"), [(("fever",), "111"), (("chest_pain",), "999"),
                                                (("fever", "chest_pain"), "999")])  # fmt: skip
def test_red_flags_on_the_screen_get_their_level_advice(flags, number):
    assert number in screen_advice(ScreenAnswers(D, red_flags=flags)).red_flags


def test_answers_round_trip_and_bad_ones_name_the_field():
    answers = ScreenAnswers(D, examined=False, duration="over_12_weeks",
                            history={"cancer": True}, red_flags=("fever",))  # fmt: skip
    assert ScreenAnswers.from_json(answers.to_json()) == answers
    with pytest.raises(ScreenError, match="duration"):
        ScreenAnswers(D, duration="forever")
    with pytest.raises(ScreenError, match="history"):
        ScreenAnswers(D, history={"smoking": True})
    with pytest.raises(ScreenError, match="red_flags"):
        ScreenAnswers(D, red_flags=("toothache",))
    with pytest.raises(ScreenError, match="cannot be read"):
        ScreenAnswers.from_json("{not json")
    rows = dict(answer_rows(ScreenAnswers(D)))
    assert rows["Red-flag symptoms at the start"] == "none ticked"
    assert all(v == "not answered" for k, v in rows.items() if k.endswith("?"))


def test_a_check_settles_flags_up_to_its_date_only():
    reported = ((date(2026, 11, 1), ("fever",)), (date(2026, 11, 5), ("fever", "chest_pain")))
    checks = with_check({}, ["fever"], date(2026, 11, 3))
    assert open_flags(reported, checks) == ((date(2026, 11, 5), ("fever", "chest_pain")),)
    checks = with_check(checks, ["fever", "chest_pain"], date(2026, 11, 6))
    assert open_flags(reported, checks) == ()
    assert with_check(checks, ["fever"], date(2026, 11, 4))["fever"] == date(2026, 11, 6)
    assert parse_checks(checks_json(checks)) == checks
    with pytest.raises(ScreenError):
        parse_checks('{"fever": "yesterday"}')


def test_the_journal_file_carries_the_answers_to_another_computer(tmp_path, capsys):
    """Backup (or copy) here, restore there: entries, start date, answers and checks."""
    from backtrack.backup import make_backup
    from backtrack.cli import main
    from backtrack.store import JournalStore

    here = JournalStore(tmp_path / "here" / "journal.db")
    here.set_start_date(D)
    here.set_setting(SCREEN_KEY, ScreenAnswers(D, history={"cancer": True}).to_json())
    here.set_setting(CHECKS_KEY, checks_json({"fever": D}))
    backup = make_backup(here.path, "manual")
    there = tmp_path / "there" / "journal.db"
    JournalStore(there)  # the other computer's new, empty journal
    assert main(["restore", str(backup), "--db", str(there)]) == 0
    moved = JournalStore(there)
    assert moved.start_date() == D
    assert ScreenAnswers.from_json(moved.get_setting(SCREEN_KEY)).history == {"cancer": True}
    assert parse_checks(moved.get_setting(CHECKS_KEY)) == {"fever": D}
