from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from fhir.resources import __fhir_version__
from fhir.resources.bundle import Bundle

from backtrack.entries import Entry
from backtrack.fhir_export import (
    EXERCISE_THERAPY,
    LOINC,
    NAME_MAX,
    PAIN_LOINC,
    SNOMED,
    FhirExportError,
    bundle_json,
    fhir_bundle,
)
from backtrack.store import JournalStore
from tests.factories import journal

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def export(entries, programme, name=None) -> Bundle:
    """Build, serialise, and parse back with the same library: what a receiver would read."""
    text = bundle_json(fhir_bundle(entries, programme, name=name, now=NOW))
    return Bundle.parse_raw(text)


def resources(bundle: Bundle, kind: str) -> list:
    return [e.resource for e in bundle.entry or [] if e.resource.resource_type == kind]


def test_the_models_are_fhir_r4():
    assert __fhir_version__ == "4.0.1"


def test_one_pain_observation_per_rated_entry_coded_loinc_72514_3(programme, store):
    entries = journal(programme, date(2026, 11, 14), 14, pain=lambda i: i % 11,
                      skip=lambda i, slot: i == 5 and slot == "evening")  # fmt: skip
    store.import_entries(entries)
    bundle = export(store.entries(date(2026, 11, 5), date(2026, 11, 10)), programme, "A. B.")
    assert bundle.type == "collection"
    in_range = [e for e in entries if date(2026, 11, 5) <= e.date <= date(2026, 11, 10)]
    pain = resources(bundle, "Observation")
    assert len(pain) == len([e for e in in_range if e.pain is not None]) == 12 - 1
    for obs, entry in zip(pain, in_range, strict=True):
        (coding,) = obs.code.coding
        assert (coding.system, coding.code) == (LOINC, PAIN_LOINC)
        assert obs.valueInteger == entry.pain and obs.valueQuantity is None  # a score, no unit
        assert obs.effectiveDateTime.isoformat() == entry.date.isoformat()
        assert obs.identifier[0].value == f"{entry.date.isoformat()}/{entry.slot}/pain"
        assert obs.status == "final" and obs.category[0].coding[0].code == "survey"


def test_patient_carries_only_the_name_typed_and_everything_points_to_it(programme):
    bundle = export([Entry(date(2026, 11, 1), "morning", 3, {"clam": 10})], programme,
                    "  Zoë 李 O'Brien ")  # fmt: skip
    (patient,) = resources(bundle, "Patient")
    assert [n.text for n in patient.name] == ["Zoë 李 O'Brien"]
    assert patient.birthDate is None and patient.identifier is None
    patient_url = next(e.fullUrl for e in bundle.entry if e.resource is patient)
    for e in bundle.entry:
        if e.resource is not patient:
            assert e.resource.subject.reference == patient_url
    (unnamed,) = resources(export([Entry(date(2026, 11, 1), "morning", 3)], programme), "Patient")
    assert unnamed.name is None


def test_sessions_done_are_procedures_with_snomed_exercise_therapy_and_the_reps(programme):
    entries = [
        Entry(date(2026, 11, 1), "morning", 5, {"knee_hugs": 10, "clam": 8}),
        Entry(date(2026, 11, 1), "evening", 4),  # pain only: no session done
        Entry(date(2026, 11, 2), "morning", 4, {"psoas_stretch": 3}),
    ]
    bundle = export(entries, programme)
    procs = resources(bundle, "Procedure")
    assert len(procs) == len([e for e in entries if e.done]) == 2
    first = procs[0]
    (coding,) = first.code.coding
    assert (coding.system, coding.code) == (SNOMED, EXERCISE_THERAPY[0])
    assert first.status == "completed" and first.performedDateTime.isoformat() == "2026-11-01"
    clam = next(ex for ex in programme.exercises if ex.id == "clam")
    assert f"The Clam {clam.count_text(8)}" in first.note[0].text
    assert "Knee Drops" not in first.note[0].text
    assert first.identifier[0].value == "2026-11-01/morning/session"


def test_an_empty_range_gives_a_valid_empty_bundle(programme):
    bundle = export([], programme, "Someone")
    assert bundle.type == "collection" and bundle.entry is None
    assert json.loads(bundle_json(bundle))["resourceType"] == "Bundle"


@pytest.mark.parametrize("name", ["a\tb", "line\nbreak", "x\x00", "n" * (NAME_MAX + 1)])
def test_a_name_with_control_characters_or_too_long_is_refused(programme, name):
    with pytest.raises(FhirExportError, match="^name: "):
        fhir_bundle([], programme, name=name, now=NOW)


def test_a_blank_name_means_no_name(programme):
    bundle = export([Entry(date(2026, 11, 1), "morning", 3)], programme, "   ")
    assert resources(bundle, "Patient")[0].name is None


def test_a_naive_timestamp_is_refused(programme):
    with pytest.raises(FhirExportError, match="^now: "):
        fhir_bundle([], programme, name=None, now=datetime(2026, 11, 1))


def test_ids_are_unique_and_new_but_entry_identifiers_are_stable(programme):
    entries = journal(programme, date(2026, 11, 3), 3)
    a, b = export(entries, programme), export(entries, programme)
    urls = [e.fullUrl for e in a.entry]
    assert len(set(urls)) == len(urls) and not set(urls) & {e.fullUrl for e in b.entry}
    idents = [[r.resource.identifier[0].value for r in x.entry[1:]] for x in (a, b)]
    assert idents[0] == idents[1]


def test_an_exercise_no_longer_in_the_programme_is_still_exported(programme):
    bundle = export([Entry(date(2026, 11, 1), "morning", 3, {"old_move": 4})], programme)
    assert "old_move 4" in resources(bundle, "Procedure")[0].note[0].text


def test_a_year_of_entries_exports_in_reasonable_time(programme):
    entries = journal(programme, date(2026, 11, 1), 365)
    started = time.perf_counter()
    bundle = export(entries, programme)
    assert len(resources(bundle, "Observation")) == 730
    assert time.perf_counter() - started < 30  # generous: the machine is shared


def test_store_round_trip_keeps_counts(programme, tmp_path):
    store = JournalStore(tmp_path / "odd # ? % dir.db")
    store.import_entries(journal(programme, date(2026, 11, 10), 10))
    bundle = export(store.entries(date(2026, 11, 10) - timedelta(days=2), None), programme)
    assert len(resources(bundle, "Observation")) == 6 and len(resources(bundle, "Procedure")) == 6


def test_notes_and_red_flags_stay_out_and_sessions_are_performed_by_the_patient(programme):
    entry = Entry(date(2026, 11, 1), "morning", 7, {"clam": 10}, ("night_pain",), "secret note")
    text = bundle_json(fhir_bundle([entry], programme, name=None, now=NOW))
    assert "secret note" not in text and "night_pain" not in text
    bundle = Bundle.parse_raw(text)
    patient_url = bundle.entry[0].fullUrl
    (proc,) = resources(bundle, "Procedure")
    assert proc.performer[0].actor.reference == patient_url
    assert resources(bundle, "Observation")[0].bodySite.text == "Low back"
