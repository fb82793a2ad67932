"""The first-run safety screen and the red-flag follow-up, as a person meets them."""

from __future__ import annotations

from datetime import date, timedelta

from backtrack.entries import Entry
from backtrack.screening import HISTORY_ADVICE, NOT_EXAMINED_NOTE, SCREEN_KEY, ScreenAnswers
from backtrack.store import JournalStore
from backtrack.symptoms import flag_label


def test_an_empty_journal_opens_on_the_safety_questions_and_skip_goes_on(app):
    at = app()
    assert at.title[0].value == "Before you start"
    at.button(key="safety_skip").click().run()
    assert "Go to Today" in [link.proto.label for link in at.get("page_link")]
    at.switch_page("pages/today.py").run()
    assert at.title[0].value == "Today" and at.subheader[0].value == "Welcome to BackTrack"


def test_a_yes_to_a_history_question_advises_a_check_before_the_programme(app):
    at = app()
    at.radio(key="safety_examined").set_value(False)
    at.radio(key="safety_cancer").set_value(True)
    at.button(key="safety_save").click().run()
    assert HISTORY_ADVICE in [w.value for w in at.warning]
    assert NOT_EXAMINED_NOTE in [i.value for i in at.info]
    assert not at.error
    saved = ScreenAnswers.from_json(JournalStore().get_setting(SCREEN_KEY))
    assert saved.answered_on == date.today()
    assert (saved.examined, saved.history) == (False, {"cancer": True})
    assert "Go on to the exercises" in [link.proto.label for link in at.get("page_link")]
    assert app().title[0].value == "Today"  # answered: the next start goes to Today


def test_a_red_flag_on_the_safety_screen_gives_the_999_advice(app):
    at = app()
    at.checkbox(key="safety_flag_bladder_bowel").check()
    at.button(key="safety_save").click().run()
    assert "999" in at.error[0].value and flag_label("bladder_bowel").lower() in at.error[0].value


def test_nothing_to_check_says_so(app):
    at = app()
    at.radio(key="safety_examined").set_value(True)
    at.button(key="safety_save").click().run()
    assert "Nothing in your answers needs checking" in at.success[0].value


def test_the_data_page_leads_back_to_the_questions(app, answered):
    at = app("pages/data.py")
    links = [link.proto.label for link in at.get("page_link")]
    assert "Review your safety answers" in links


def test_i_have_had_this_checked_stops_the_banner_and_the_report_shows_both_dates(app, answered):
    yesterday = date.today() - timedelta(days=1)
    JournalStore().save(Entry(yesterday, "morning", 6, {}, ("fever",)))
    at = app()
    assert "111" in at.error[0].value
    at.button(key="today_checked").click().run()
    assert not at.error
    assert any("you said they have been checked" in c.value for c in at.caption)
    report = app("pages/report.py")
    flags = next(t.value for t in report.table if "Symptoms reported" in t.value.columns)
    said = flags.iloc[0]["Said to be checked by a professional"]
    assert "checked" in said and "not yet" not in said


def test_a_flag_reported_again_after_the_check_shows_again(app, answered):
    from backtrack.screening import CHECKS_KEY, checks_json

    today = date.today()
    store = JournalStore()
    store.save(Entry(today - timedelta(days=5), "morning", 6, {}, ("fever",)))
    store.set_setting(CHECKS_KEY, checks_json({"fever": today - timedelta(days=4)}))
    assert not app().error
    store.save(Entry(today, "morning", 6, {}, ("fever",)))
    assert "111" in app().error[0].value
