"""The hands-free session page through AppTest. AppTest does not run the browser clock (a
components v2 element is an unknown element to it), so these tests read the data the page
gives the clock and send the clock's reports as the browser does: trigger values of the
component's widget."""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates

import ui
from backtrack.clock import CUE_TONES
from backtrack.pacing import PACING_KEY, SOUND_KEY, Pacing, Sound
from backtrack.player import IN_PROGRESS_KEY
from backtrack.store import JournalStore
from backtrack.symptoms import STOP_ADVICE
from tests.pages.conftest import open_app


def clock(at):
    (element,) = at.get("bidi_component")
    return element


def clock_data(at) -> dict:
    return json.loads(clock(at).proto.json)


def send(at, event: str, value) -> None:
    """What the browser clock does: set a trigger value of the component, which reruns."""
    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = f"$$STREAMLIT_INTERNAL_KEY_{clock(at).proto.id}__events"
    widget.json_trigger_value = json.dumps([{"event": event, "value": value}])
    at._run(WidgetStates(widgets=states.widgets))
    assert not at.exception


def rep_end(data: dict, slot: int) -> float:
    """When the run's timeline ends the rep of `slot`."""
    (step,) = [s for s in data["steps"] if s["slot"] == slot and s["ends_rep"]]
    return step["start"] + step["seconds"]


def started(app):
    at = app("pages/session.py")
    at.button(key="session_start").click().run()
    assert not at.exception
    return at


def test_start_screen_offers_slot_psoas_hold_and_the_remembered_pauses(app):
    JournalStore().set_setting(PACING_KEY, Pacing(rest=7).to_json())
    at = app("pages/session.py")
    assert at.title[0].value == "Guided session"
    assert at.radio(key="session_slot").options == ["Morning", "Evening"]
    hold = at.selectbox(key="session_hold_psoas_stretch")
    assert hold.value == 15
    assert hold.options == [f"{s} s" for s in range(10, 21)]
    assert at.selectbox(key="session_rest").value == 7  # remembered
    assert at.selectbox(key="session_get_ready").value == Pacing().get_ready  # default
    assert at.selectbox(key="session_up").options == [f"{s} s" for s in range(1, 6)]
    assert not at.get("bidi_component")


def test_start_gives_the_clock_the_whole_timeline_and_remembers_the_pauses(app):
    at = app("pages/session.py")
    at.selectbox(key="session_between").set_value(20)
    at.selectbox(key="session_hold_psoas_stretch").set_value(12)
    at.button(key="session_start").click().run()
    data = clock_data(at)
    assert data["autostart"] and data["index"] == 0 and data["at"] == 0
    first = data["steps"][:3]
    assert [(s["kind"], s["start"], s["seconds"]) for s in first] == [
        ("next", 0, 20), ("get_ready", 20, 3), ("hold", 23, 5)]  # fmt: skip
    assert first[0]["word"] == "Next: Knee Hugs" and first[2]["cue"] == "hold"
    assert {s["seconds"] for s in data["steps"] if s["kind"] == "hold" and s["slot"] >= 50} == {12}
    assert set(data["tones"]) == {c.value for c in CUE_TONES}
    assert data["exercises"][0]["picture"].startswith("data:image/svg+xml;base64,")
    assert Pacing.from_json(JournalStore().get_setting(PACING_KEY)).between == 20


def test_each_reported_rep_counts_and_is_saved_for_a_reload(app):
    at = started(app)
    data = clock_data(at)
    send(at, "report", {"epoch": data["epoch"], "elapsed": rep_end(data, 0)})
    send(at, "report", {"epoch": data["epoch"], "elapsed": rep_end(data, 2) - 0.01})
    assert at.session_state.session_player.summary()["knee_hugs"] == 2
    saved = json.loads(JournalStore().get_setting(IN_PROGRESS_KEY))
    assert saved["slot"] in ("morning", "evening") and saved["player"]["index"] == 2
    # Same run: the clock keeps its own timeline and is not started again.
    assert clock_data(at)["epoch"] == data["epoch"]

    # A reload is a new browser session: the page resumes from the journal, waiting for
    # "Resume" (a new run at rep 3).
    again = open_app("pages/session.py")
    resumed = clock_data(again)
    assert not resumed["autostart"] and resumed["index"] == 2
    assert resumed["slots"][2]["labels"] == "Exercise 1 of 5 · Rep 3 of 10"
    send(again, "action", {"name": "restart", "epoch": resumed["epoch"], "elapsed": 0})
    run = clock_data(again)
    assert run["autostart"] and run["epoch"] == resumed["epoch"] + 1
    assert [s["kind"] for s in run["steps"][:2]] == ["get_ready", "hold"]
    assert run["steps"][0]["slot"] == 2


def test_a_report_from_an_older_run_or_a_bad_one_changes_nothing(app):
    at = started(app)
    data = clock_data(at)
    send(at, "action", {"name": "skip_rep", "epoch": data["epoch"], "elapsed": 1.0})
    assert at.session_state.session_player.index == 1
    send(at, "report", {"epoch": data["epoch"], "elapsed": 999})  # the old run
    assert at.session_state.session_player.summary()["knee_hugs"] == 0
    send(at, "report", {"epoch": "x", "elapsed": -1})
    assert ui.plain("report: epoch 'x' is not a whole number") in at.warning[0].value
    assert at.session_state.session_player.index == 1


def test_skip_back_and_quit_prefill_the_log_with_what_was_done(app):
    at = started(app)
    data = clock_data(at)
    end = rep_end(data, 9)  # the whole of Knee Hugs, then a press during Knee Drops' pause
    send(at, "action", {"name": "skip_rep", "epoch": data["epoch"], "elapsed": end + 1})
    assert at.session_state.session_player.labels[1:] == ("Rep 1 of 5", "Left side")
    data = clock_data(at)
    send(at, "action", {"name": "back", "epoch": data["epoch"], "elapsed": 0.5})
    data = clock_data(at)
    send(at, "action", {"name": "skip_exercise", "epoch": data["epoch"], "elapsed": 0.5})
    data = clock_data(at)
    assert data["steps"][0]["word"] == "Next: The Clam"
    send(at, "action", {"name": "quit", "epoch": data["epoch"], "elapsed": 0.5})
    assert at.subheader[0].value == "Session stopped"
    table = at.table[0].value
    assert list(table["Done"])[:3] == ["10 reps", "0 reps each side", "0 reps each leg"]

    at.button(key="session_log").click().run()
    assert at.title[0].value == "Log a session"
    assert "guided session" in at.info[0].value
    assert at.number_input(key="log_reps_knee_hugs").value == 10
    for ex in ("knee_drops", "clam", "glute_bridge", "psoas_stretch"):
        assert at.checkbox(key=f"log_do_{ex}").value is False
    assert JournalStore().get_setting(IN_PROGRESS_KEY) is None  # nothing left to resume
    at.switch_page("pages/log.py").run()
    at.radio(key="log_pain").set_value(3).run()
    at.button(key="log_save").click().run()
    (entry,) = JournalStore().entries()
    assert (entry.pain, entry.reps) == (3, {"knee_hugs": 10})


def test_the_last_report_opens_the_log_form_with_the_prescribed_dose(app, programme):
    at = started(app)
    data = clock_data(at)
    send(at, "report", {"epoch": data["epoch"], "elapsed": data["steps"][-1]["start"] + 60})
    assert at.title[0].value == "Log a session"  # no click after Start
    for ex in programme.exercises:
        assert at.number_input(key=f"log_reps_{ex.id}").value == ex.reps_max
    assert JournalStore().get_setting(IN_PROGRESS_KEY) is None
    # The last exercise's "How did that feel?" comes with the form, still optional.
    at.switch_page("pages/log.py").run()
    assert "How did Psoas Stretch feel?" in at.markdown[0].value
    at.button(key="log_feel_leg_symptoms").click().run()
    assert at.error[0].value == STOP_ADVICE
    assert not any("How did" in m.value for m in at.markdown)
    at.radio(key="log_pain").set_value(4).run()
    at.button(key="log_save").click().run()
    (entry,) = JournalStore().entries()
    assert entry.reactions == {"psoas_stretch": "leg_symptoms"}
    assert not at.error and not any("How did" in m.value for m in at.markdown)


def test_how_did_that_feel_comes_between_exercises_and_reaches_the_log(app):
    at = app("pages/session.py")
    assert STOP_ADVICE in [c.value for c in at.caption]  # said at the start
    at.button(key="session_start").click().run()
    data = clock_data(at)
    send(at, "report", {"epoch": data["epoch"], "elapsed": rep_end(data, 9)})
    assert "How did Knee Hugs feel?" in at.markdown[0].value
    assert clock_data(at)["epoch"] == data["epoch"]  # the clock runs on meanwhile
    at.button(key="session_feel_leg_symptoms").click().run()
    assert at.error[0].value == STOP_ADVICE  # at once
    assert not any("How did" in m.value for m in at.markdown)  # answered: asked no more
    send(at, "action", {"name": "quit", "epoch": data["epoch"], "elapsed": 0})
    at.button(key="session_log").click().run()
    at.switch_page("pages/log.py").run()
    at.radio(key="log_pain").set_value(5).run()
    at.button(key="log_save").click().run()
    (entry,) = JournalStore().entries()
    assert entry.reactions == {"knee_hugs": "leg_symptoms"}


def test_the_question_can_be_left_unanswered(app):
    at = started(app)
    data = clock_data(at)
    send(at, "report", {"epoch": data["epoch"], "elapsed": rep_end(data, 10)})
    assert not any("How did" in m.value for m in at.markdown)
    assert at.session_state.session_player.labels[0] == "Exercise 2 of 5"


def test_sound_choices_are_remembered(app):
    at = started(app)
    send(at, "sound", {"muted": True, "volume": 0.3, "speak": False})
    assert Sound.from_json(JournalStore().get_setting(SOUND_KEY)) == Sound(True, 0.3, False)
    again = open_app("pages/session.py")
    assert clock_data(again)["sound"] == {"muted": True, "volume": 0.3, "speak": False}
    send(again, "sound", {"muted": True, "volume": 7})
    assert ui.plain("sound (volume): 7 is outside 0.0-1.0") in again.warning[0].value


@pytest.mark.parametrize("saved", ["{", '{"slot": "noon"}', '{"slot": "morning", "player": {}}'])
def test_a_saved_session_that_cannot_be_resumed_is_said_and_dropped(app, saved):
    JournalStore().set_setting(IN_PROGRESS_KEY, saved)
    at = app("pages/session.py")
    assert "cannot be resumed" in at.warning[0].value
    assert at.button(key="session_start")
    assert JournalStore().get_setting(IN_PROGRESS_KEY) is None
