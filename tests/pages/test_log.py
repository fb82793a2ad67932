from __future__ import annotations

from datetime import date, timedelta

from backtrack.entries import Entry
from backtrack.store import JournalStore
from tests.factories import literal


def test_log_prefills_a_full_session(app, programme):
    at = app("pages/log.py")
    assert at.title[0].value == "Log a session"
    for ex in programme.exercises:
        assert at.checkbox(key=f"log_do_{ex.id}").value is True
        assert at.number_input(key=f"log_reps_{ex.id}").value == ex.reps_max
    assert at.radio(key="log_pain").value is None
    assert any("0 = no pain" in c.value and "10 = worst pain imaginable" in c.value
               for c in at.caption)  # fmt: skip


def test_leg_pain_is_optional_and_saved_beside_back_pain(app):
    at = app("pages/log.py")
    assert at.radio(key="log_pain").label.startswith("Back pain now")
    leg = at.radio(key="log_leg_pain")
    assert leg.label.startswith("Pain down your leg(s) now") and leg.value == "not rated"
    at.radio(key="log_pain").set_value(4).run()
    at.button(key="log_save").click().run()
    at.radio(key="log_pain").set_value(5).run()
    at.radio(key="log_leg_pain").set_value(6).run()
    at.button(key="log_save").click().run()
    assert not at.exception
    assert [(e.pain, e.leg_pain) for e in JournalStore().entries()] == [(4, None), (5, 6)]


def test_full_session_is_one_pain_rating_and_one_click(app, programme):
    at = app("pages/log.py")
    at.radio(key="log_pain").set_value(4).run()
    at.button(key="log_save").click().run()
    assert not at.exception
    assert "Saved" in at.success[0].value
    saved = JournalStore().entries()
    assert len(saved) == 1
    e = saved[0]
    assert (e.date, e.pain) == (date.today(), 4)
    assert e.reps == {ex.id: ex.reps_max for ex in programme.exercises}
    assert at.table[0].value["Pain (0-10)"].tolist() == [4]
    # The form is ready for the next slot.
    assert at.radio(key="log_slot").value == ("evening" if e.slot == "morning" else "morning")


def test_pain_only_entry_with_notes_and_changed_reps(app):
    at = app("pages/log.py")
    at.radio(key="log_slot").set_value("evening").run()
    for ex in ("knee_hugs", "knee_drops", "glute_bridge", "psoas_stretch"):
        at.checkbox(key=f"log_do_{ex}").uncheck().run()
    at.number_input(key="log_reps_clam").set_value(6).run()
    at.radio(key="log_pain").set_value(7).run()
    at.text_area(key="log_notes").input("<b>stiff</b> after gardening").run()
    at.button(key="log_save").click().run()
    (e,) = JournalStore().entries()
    assert (e.slot, e.pain, e.reps, e.notes) == (
        "evening", 7, {"clam": 6}, "<b>stiff</b> after gardening")  # fmt: skip


def test_rest_day_with_no_exercise_is_valid(app, programme):
    at = app("pages/log.py")
    for ex in programme.exercises:
        at.checkbox(key=f"log_do_{ex.id}").uncheck()
    at.radio(key="log_pain").set_value(3).run()
    at.button(key="log_save").click().run()
    (e,) = JournalStore().entries()
    assert e.reps == {} and not e.done


def test_saving_without_pain_names_the_field_and_saves_nothing(app):
    at = app("pages/log.py")
    at.button(key="log_save").click().run()
    assert "pain: is required" in literal(at.error[0].value)
    assert JournalStore().entries() == []


def test_red_flag_shows_urgent_advice_at_once_and_is_saved(app):
    at = app("pages/log.py")
    assert not at.error
    at.checkbox(key="log_flag_bladder_bowel").check().run()
    assert "999" in at.error[0].value and "A&E" in at.error[0].value
    at.checkbox(key="log_flag_bladder_bowel").uncheck().run()
    at.checkbox(key="log_flag_night_pain").check().run()
    assert "NHS 111" in at.error[0].value and "999" not in at.error[0].value
    at.radio(key="log_pain").set_value(8).run()
    at.button(key="log_save").click().run()
    assert JournalStore().entries()[0].flags == ("night_pain",)


def test_saving_over_an_existing_slot_asks_before_replacing(app):
    today = date.today()
    JournalStore().save(Entry(today, "morning", 2))
    at = app("pages/log.py")
    at.radio(key="log_slot").set_value("morning").run()
    at.radio(key="log_pain").set_value(6).run()
    at.button(key="log_save").click().run()
    assert "already an entry" in at.warning[0].value
    assert [e.pain for e in JournalStore().entries()] == [2]
    at.button(key="log_keep").click().run()
    assert [e.pain for e in JournalStore().entries()] == [2]
    at.button(key="log_save").click().run()
    at.button(key="log_replace").click().run()
    assert "Replaced" in at.success[0].value
    assert [e.pain for e in JournalStore().entries()] == [6]


def test_edit_an_entry(app):
    day = date.today() - timedelta(days=3)
    JournalStore().save(Entry(day, "evening", 5, {"clam": 10}, (), "old note"))
    at = app("pages/log.py")
    at.button(key="log_edit").click().run()
    assert at.date_input(key="log_date").value == day
    assert at.radio(key="log_pain").value == 5
    assert at.checkbox(key="log_do_knee_hugs").value is False
    assert at.text_area(key="log_notes").value == "old note"
    at.radio(key="log_pain").set_value(3).run()
    at.button(key="log_save").click().run()
    assert "Updated" in at.success[0].value
    (e,) = JournalStore().entries()
    assert (e.date, e.slot, e.pain, e.reps, e.notes) == (day, "evening", 3, {"clam": 10},
                                                         "old note")  # fmt: skip


def test_delete_asks_for_confirmation(app):
    store = JournalStore()
    store.save(Entry(date.today(), "morning", 5))
    at = app("pages/log.py")
    at.button(key="log_delete").click().run()
    assert "cannot be undone" in at.warning[0].value
    at.button(key="log_delete_no").click().run()
    assert len(store.entries()) == 1
    at.button(key="log_delete").click().run()
    at.button(key="log_delete_yes").click().run()
    assert store.entries() == []
    assert "Deleted" in at.success[0].value


def test_an_edit_of_an_entry_changed_in_another_tab_asks_the_user(app):
    day = date.today() - timedelta(days=2)
    store = JournalStore()
    store.save(Entry(day, "morning", 5))
    at = app("pages/log.py")
    at.button(key="log_edit").click().run()
    store.save(Entry(day, "morning", 9, {}, (), "from the other tab"), replace=True)
    at.radio(key="log_pain").set_value(3).run()
    at.button(key="log_save").click().run()
    assert "changed elsewhere" in at.warning[0].value
    assert "pain 9" in at.warning[0].value
    assert store.get(day, "morning").pain == 9  # nothing overwritten silently
    at.button(key="log_load_latest").click().run()
    assert at.radio(key="log_pain").value == 9
    assert at.text_area(key="log_notes").value == "from the other tab"
    at.radio(key="log_pain").set_value(4).run()
    at.button(key="log_save").click().run()
    assert store.get(day, "morning").pain == 4


def test_keep_mine_saves_over_the_other_tabs_change(app):
    day = date.today() - timedelta(days=2)
    store = JournalStore()
    store.save(Entry(day, "evening", 5))
    at = app("pages/log.py")
    at.button(key="log_edit").click().run()
    store.save(Entry(day, "evening", 9), replace=True)
    at.radio(key="log_pain").set_value(3).run()
    at.button(key="log_save").click().run()
    at.button(key="log_keep_mine").click().run()
    assert "Updated" in at.success[0].value
    assert store.get(day, "evening").pain == 3


def test_leaving_the_page_mid_edit_and_coming_back_keeps_the_edit(app):
    day = date.today() - timedelta(days=4)
    JournalStore().save(Entry(day, "evening", 6, {"clam": 10}, ("fever",), "keep me"))
    at = app("pages/log.py")
    at.button(key="log_edit").click().run()
    at.switch_page("pages/today.py").run()
    at.switch_page("pages/log.py").run()
    assert not at.exception
    assert "Editing the entry" in at.info[0].value
    assert (at.date_input(key="log_date").value, at.radio(key="log_pain").value) == (day, 6)
    assert at.checkbox(key="log_flag_fever").value is True
    assert at.text_area(key="log_notes").value == "keep me"
    at.button(key="log_save").click().run()
    assert JournalStore().get(day, "evening") == Entry(day, "evening", 6, {"clam": 10},
                                                       ("fever",), "keep me")  # fmt: skip
