from __future__ import annotations

from tests.factories import literal


def test_exercises_grouped_by_purpose_with_doses_and_steps(app, programme):
    at = app("pages/exercises.py")
    assert [literal(h.value) for h in at.header] == [
        "Lumbar mobility", "Gluteal strength", "Hip-flexor stretch"]  # fmt: skip
    assert [literal(s.value) for s in at.subheader] == [e.name for e in programme.exercises]
    text = literal("\n".join(m.value for m in at.markdown))
    for dose in ("10 reps", "hold 5 s", "5 reps each side", "hold 2 s", "10 reps each leg",
                 "3-5 holds each side", "hold 10-20 s", "twice daily"):  # fmt: skip
        assert dose in text
    assert "1. Lie flat on your back on the floor." in text
    assert "couple of weeks" in at.info[0].value and "osteopath" in at.info[0].value


def test_stop_rules_and_staying_active_are_said_once(app):
    from backtrack.symptoms import STAY_ACTIVE, STOP_ADVICE

    at = app("pages/exercises.py")
    assert [w.value for w in at.warning].count(STOP_ADVICE) == 1
    assert [m.value for m in at.markdown].count(STAY_ACTIVE) == 1
