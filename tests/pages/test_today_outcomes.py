"""Today's outcome questions (PSFS, PGIC) when due, and "What got in the way?"."""

from __future__ import annotations

from datetime import date, timedelta

from backtrack.outcomes import Outcome
from backtrack.progress import BARRIER_SETTING
from backtrack.store import JournalStore
from tests.factories import journal, literal

TODAY = date.today()


def _start(programme, days: int, **kw) -> JournalStore:
    """A journal whose day 1 was `days - 1` days ago (today is day `days`)."""
    store = JournalStore()
    store.import_entries(journal(programme, TODAY, days, **kw))
    return store


def _subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_in_the_first_week_the_activities_are_asked_and_bad_rows_are_named(app, programme):
    store = _start(programme, 3)
    at = app()
    assert "A few questions about your back" in _subheaders(at)
    at.text_input(key="psfs_label_1").input("Putting on socks")
    at.radio(key="psfs_score_1").set_value(3)
    at.radio(key="psfs_score_2").set_value(5)  # a score without an activity
    submit = next(b for b in at.button if b.proto.label == "Save answers")
    submit.click().run()
    assert not at.exception
    assert "activity 2: name the activity you rated" in literal(at.error[0].value)
    assert store.outcomes() == []  # nothing half-saved
    at.radio(key="psfs_score_2").set_value(None)
    at.text_input(key="psfs_label_3").input("Sitting for an hour")
    at.radio(key="psfs_score_3").set_value(6)
    next(b for b in at.button if b.proto.label == "Save answers").click().run()
    assert not at.exception
    assert [(o.item, o.score, o.label) for o in store.outcomes()] == [
        (1, 3, "Putting on socks"), (2, 6, "Sitting for an hour")]  # fmt: skip
    assert "A few questions about your back" not in _subheaders(at)
    assert "Saved your answers" in at.success[0].value


def test_on_day_14_the_activities_are_rated_again_and_the_pgic_asked(app, programme):
    store = _start(programme, 14, pain=lambda i: 5)
    first = TODAY - timedelta(days=12)
    store.save_outcomes(
        [Outcome(first, "psfs", 1, 3, "Walking"), Outcome(first, "psfs", 2, 4, "Lifting")]
    )
    at = app()
    assert at.radio(key="psfs_score_1").label.startswith("Walking")
    assert at.radio(key="pgic_score").label.startswith("Since starting this programme")
    at.radio(key="psfs_score_1").set_value(6)
    at.radio(key="psfs_score_2").set_value(5)
    next(b for b in at.button if b.proto.label == "Save answers").click().run()
    assert "change since starting: choose one answer" in literal(at.error[0].value)
    assert len(store.outcomes()) == 2
    at.radio(key="pgic_score").set_value(2)  # in a form: sent with the submit
    next(b for b in at.button if b.proto.label == "Save answers").click().run()
    assert not at.exception
    assert len(store.outcomes()) == 5
    # The check now counts function (+2.0) and the PGIC (much improved).
    assert any("Improving" in s for s in _subheaders(at))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Activities score (PSFS)"] == "5.5"
    assert metrics["Your rating of change"] == "Much improved"


def test_not_now_hides_the_questions_and_logging_stays_open(app, programme):
    _start(programme, 2)
    at = app()
    at.button(key="outcomes_later_button").click().run()
    assert "A few questions about your back" not in _subheaders(at)
    assert [link.proto.label for link in at.get("page_link")][-1] == "Log a session"


def test_low_adherence_asks_what_got_in_the_way_and_remembers_it(app, programme):
    store = _start(programme, 14, skip=lambda i, slot: i % 2 == 1 or slot == "evening")
    at = app()
    assert any("Too few sessions" in s for s in _subheaders(at))
    barrier = at.radio(key="today_barrier")
    assert barrier.value is None
    barrier.set_value("pain_worse").run()
    assert not at.exception
    assert "pain_worse" in store.get_setting(BARRIER_SETTING)
    assert "Get your programme reviewed now" in at.markdown[-1].value or any(
        "Get your programme reviewed now" in m.value for m in at.markdown
    )
