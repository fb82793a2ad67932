from __future__ import annotations

import pytest

import ui
from backtrack.store import JournalStore


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(ui, "now", fake)
    monkeypatch.setattr(ui, "sleep", fake.sleep)
    return fake


def progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def started(app):
    at = app("pages/session.py")
    at.button(key="session_start").click().run()
    assert not at.exception
    return at


def test_start_screen_offers_slot_and_the_psoas_hold_within_10_to_20_s(app):
    at = app("pages/session.py")
    assert at.title[0].value == "Guided session"
    assert at.radio(key="session_slot").options == ["Morning", "Evening"]
    hold = at.selectbox(key="session_hold_psoas_stretch")
    assert hold.value == 15
    assert hold.options == [f"{s} s" for s in range(10, 21)]


def test_a_hold_counts_down_and_queues_the_next_rep(app, clock):
    at = started(app)
    assert progress_text(at) == "Exercise 1 of 5 · Rep 1 of 10"
    assert at.subheader[0].value == "Knee Hugs"
    assert len(at.get("image")) == 1
    at.button(key="session_hold").click().run()
    assert at.metric[0].value == "5 s"
    clock.t += 2.2
    at.run()
    assert at.metric[0].value == "3 s"
    clock.t += 2.5  # 4.7 s: not yet
    at.run()
    assert progress_text(at) == "Exercise 1 of 5 · Rep 1 of 10"
    clock.t += 0.2  # 4.9 s: within a tick of the end, the screen waits the last 0.1 s
    at.run()
    assert clock.t == pytest.approx(1005.0)
    assert progress_text(at) == "Exercise 1 of 5 · Rep 2 of 10"
    assert at.button(key="session_hold")  # the next hold is ready to start


def test_pause_does_not_count(app, clock):
    at = started(app)
    at.button(key="session_hold").click().run()
    clock.t += 2
    at.button(key="session_pause").click().run()
    clock.t += 60
    at.button(key="session_resume").click().run()
    clock.t += 2.5
    at.run()
    assert at.metric[0].value == "1 s"
    assert progress_text(at) == "Exercise 1 of 5 · Rep 1 of 10"


def test_whole_exercise_then_quit_prefills_the_log_with_what_was_done(app, clock):
    at = started(app)
    for _ in range(10):
        at.button(key="session_hold").click().run()
        clock.t += 5
        at.run()
    assert progress_text(at) == "Exercise 2 of 5 · Rep 1 of 5 · Right side"
    at.button(key="session_skip_rep").click().run()
    assert progress_text(at) == "Exercise 2 of 5 · Rep 1 of 5 · Left side"
    at.button(key="session_back").click().run()
    at.button(key="session_skip_ex").click().run()
    assert at.subheader[0].value == "The Clam"
    at.button(key="session_done").click().run()
    assert progress_text(at) == (
        "Exercise 3 of 5 · Rep 2 of 10 · Lying on your right side\\: lift your left knee"
    )  # Markdown-escaped text
    at.button(key="session_quit").click().run()
    assert at.subheader[0].value == "Session stopped"
    table = at.table[0].value
    assert list(table["Done"])[:3] == ["10 reps", "0 reps each side", "0 reps each leg"]
    assert list(table.index)[:2] == ["Knee Hugs", "Knee Drops"]

    at.button(key="session_log").click().run()
    assert at.title[0].value == "Log a session"
    assert "guided session" in at.info[0].value
    assert at.checkbox(key="log_do_knee_hugs").value is True
    assert at.number_input(key="log_reps_knee_hugs").value == 10
    for ex in ("knee_drops", "clam", "glute_bridge", "psoas_stretch"):
        assert at.checkbox(key=f"log_do_{ex}").value is False
    assert at.radio(key="log_pain").value is None
    # The page switched itself; AppTest's own page pointer has to follow.
    at.switch_page("pages/log.py").run()
    at.radio(key="log_pain").set_value(3).run()
    at.button(key="log_save").click().run()
    (entry,) = JournalStore().entries()
    assert (entry.pain, entry.reps) == (3, {"knee_hugs": 10})


def test_a_full_session_logs_the_prescribed_dose(app, clock, programme):
    at = started(app)
    for _ in range(200):
        if at.subheader[0].value == "Session complete. Well done.":
            break
        if _has(at, "session_hold"):
            at.button(key="session_hold").click().run()
            clock.t += 20
            at.run()
        else:
            at.button(key="session_done").click().run()
    assert at.subheader[0].value == "Session complete. Well done."
    at.button(key="session_log").click().run()
    for ex in programme.exercises:
        assert at.number_input(key=f"log_reps_{ex.id}").value == ex.reps_max


def _has(at, key: str) -> bool:
    return any(b.key == key for b in at.button)


def test_how_did_that_feel_shows_the_stop_advice_and_reaches_the_log(app, clock):
    from backtrack.symptoms import STOP_ADVICE

    at = app("pages/session.py")
    assert STOP_ADVICE in [c.value for c in at.caption]  # said at the start
    at.button(key="session_start").click().run()
    for _ in range(10):
        at.button(key="session_hold").click().run()
        clock.t += 5
        at.run()
    assert "How did Knee Hugs feel?" in at.markdown[0].value
    assert not at.error
    at.button(key="session_feel_leg_symptoms").click().run()
    assert at.error[0].value == STOP_ADVICE  # at once
    assert not any("How did" in m.value for m in at.markdown)  # answered: asked no more
    at.button(key="session_quit").click().run()
    at.button(key="session_log").click().run()
    at.switch_page("pages/log.py").run()
    at.radio(key="log_pain").set_value(5).run()
    at.button(key="log_save").click().run()
    (entry,) = JournalStore().entries()
    assert entry.reactions == {"knee_hugs": "leg_symptoms"}


def test_the_question_can_be_left_unanswered(app, clock):
    at = started(app)
    for _ in range(10):
        at.button(key="session_hold").click().run()
        clock.t += 5
        at.run()
    at.button(key="session_skip_rep").click().run()  # carry on without answering
    assert not any("How did" in m.value for m in at.markdown)
    assert progress_text(at).startswith("Exercise 2 of 5")
