"""The journal as a FHIR R4 Bundle, so a practitioner's record system can take it in.

Built and validated with fhir.resources 6.4 (FHIR 4.0.1, pydantic models of the spec);
every resource is checked against its model as it is made, so a mistake fails here, not in
the receiving system. Why 6.4: it is the last release whose default package is R4 4.0.1
(6.5 is R4B 4.3.0, 7 and later default to R5 with R4B as a subpackage). R4 is what record
systems that "speak FHIR" take in today. It needs pydantic v1, which nothing else here uses.
Only this module imports fhir.resources, so moving to R4B/R5 later changes this file only.

What the Bundle (type `collection`) holds:
- one Patient: only the name typed at export (never stored), or no name at all;
- one Observation per pain rating: LOINC 72514-3, valueInteger 0-10;
- one Procedure per session done (see `_session`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from fhir.resources import __fhir_version__ as FHIR_VERSION  # noqa: N812
from fhir.resources.bundle import Bundle

from backtrack.entries import Entry
from backtrack.programme import Programme

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Identifies an entry within this person's journal ('2026-11-01/morning/pain'), so a
# receiving system can tell a re-sent rating from a new one.
ENTRY_SYSTEM = "urn:backtrack:journal-entry"
PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
EXERCISE_THERAPY = ("229065009", "Exercise therapy (regime/therapy)")
NAME_MAX = 200
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

if FHIR_VERSION != "4.0.1":  # the export promises R4, whatever pip resolved
    raise ImportError(f"fhir.resources models FHIR {FHIR_VERSION}; BackTrack needs R4 (4.0.1)")


class FhirExportError(ValueError):
    """Input the export cannot use; the message names the field and the rule."""


@dataclass(frozen=True)
class PainMeasure:
    """A 0-10 pain rating in the journal and how it is coded."""

    attribute: str  # the Entry attribute holding the rating
    site: str  # Observation.bodySite, as text


# Extension point for leg pain (issue 13): add PainMeasure("leg_pain", "Leg") once entries
# carry it. Same LOINC 72514-3: it is the 0-10 numeric rating whatever the site, and LOINC
# has no leg-specific code for it; bodySite tells the two apart. The sites are text only:
# a SNOMED body-structure code should be chosen with a clinician, not guessed here.
PAIN_MEASURES: tuple[PainMeasure, ...] = (PainMeasure("pain", "Low back"),)


def clean_name(name: str | None) -> str | None:
    """The name as it goes into Patient.name: trimmed, None when empty.

    Raise FhirExportError for control characters or more than NAME_MAX characters."""
    if name is None or not name.strip():
        return None
    name = name.strip()
    if _CONTROL_RE.search(name):
        raise FhirExportError("name: control characters (such as tabs or line breaks) not allowed")
    if len(name) > NAME_MAX:
        raise FhirExportError(f"name: {len(name)} characters; at most {NAME_MAX}")
    return name


def fhir_bundle(
    entries: Iterable[Entry],
    programme: Programme,
    *,
    name: str | None,
    now: datetime,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> Bundle:
    """The entries as a FHIR R4 collection Bundle. No entries: a valid, empty Bundle.

    Resource ids are new UUIDs on every export (two patients' files never collide in a
    practitioner's system); the entry identifiers stay the same from export to export."""
    if now.tzinfo is None:
        raise FhirExportError("now: needs a time zone (FHIR instants carry one)")
    name = clean_name(name)
    entries = list(entries)  # in the order given (the store's: by date, then session)
    bundle: dict = {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{new_id()}"},
        "type": "collection",
        "timestamp": now.isoformat(timespec="seconds"),
    }
    if not entries:
        return Bundle.parse_obj(bundle)
    patient_url = f"urn:uuid:{new_id()}"
    resources: list[tuple[str, dict]] = [(patient_url, _patient(patient_url, name))]
    subject = {"reference": patient_url}
    for entry in entries:
        for measure in PAIN_MEASURES:
            value = getattr(entry, measure.attribute, None)
            if value is not None:
                url = f"urn:uuid:{new_id()}"
                resources.append((url, _pain(url, entry, measure, value, subject)))
    for entry in entries:
        if entry.done:
            url = f"urn:uuid:{new_id()}"
            resources.append((url, _session(url, entry, programme, subject)))
    bundle["entry"] = [{"fullUrl": url, "resource": r} for url, r in resources]
    # One validation of the whole: each resource against its own model (Patient,
    # Observation, Procedure), required elements, codes and types.
    return Bundle.parse_obj(bundle)


def bundle_json(bundle: Bundle) -> str:
    """The Bundle as FHIR JSON text (UTF-8, indented for a person to read)."""
    return bundle.json(indent=2, ensure_ascii=False)


def _id(url: str) -> str:
    return url.removeprefix("urn:uuid:")


def _entry_id(entry: Entry, what: str) -> dict:
    return {"system": ENTRY_SYSTEM, "value": f"{entry.date.isoformat()}/{entry.slot}/{what}"}


def _patient(url: str, name: str | None) -> dict:
    data: dict = {"resourceType": "Patient", "id": _id(url)}
    if name:
        data["name"] = [{"text": name}]
    return data


def _pain(url: str, entry: Entry, measure: PainMeasure, value: int, subject: dict) -> dict:
    # effectiveDateTime is the date alone: the journal records the session (morning or
    # evening), not a clock time, and a made-up time would be false precision. The session
    # is in the identifier.
    return {
        "resourceType": "Observation",
        "id": _id(url),
        "identifier": [_entry_id(entry, measure.attribute)],
        "status": "final",
        "category": [
            {
                "coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]
            }  # fmt: skip
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_LOINC, "display": PAIN_DISPLAY}],
            "text": f"{measure.site} pain (0-10)",
        },
        "subject": subject,
        "effectiveDateTime": entry.date.isoformat(),
        "bodySite": {"text": measure.site},
        "valueInteger": int(value),
    }


def _session(url: str, entry: Entry, programme: Programme, subject: dict) -> dict:
    """One exercise session as a Procedure.

    Procedure, not Observation: a session is something the person did, and FHIR's
    Procedure is "an action that is or was performed on or for a patient", including
    therapies; an Observation is a measurement or finding. A Procedure per session (rather
    than a count per day) keeps the date, the session and what was done; a record system
    counts them per day or week itself. Performed by the patient, coded SNOMED CT
    229065009 "Exercise therapy"; the reps of each exercise are in the note as text,
    because Procedure has no element for amounts."""
    done = [
        f"{ex.name} {ex.count_text(entry.reps[ex.id])}"
        for ex in programme.exercises
        if entry.reps.get(ex.id, 0) > 0
    ]
    others = sorted(k for k, v in entry.reps.items() if v > 0 and k not in programme.exercise_ids)
    done += [f"{k} {entry.reps[k]}" for k in others]  # an exercise no longer in the programme
    code, display = EXERCISE_THERAPY
    return {
        "resourceType": "Procedure",
        "id": _id(url),
        "identifier": [_entry_id(entry, "session")],
        "status": "completed",
        "code": {
            "coding": [{"system": SNOMED, "code": code, "display": display}],
            "text": f"Home exercise programme, {entry.slot} session",
        },
        "subject": subject,
        "performedDateTime": entry.date.isoformat(),
        "performer": [{"actor": subject}],
        "note": [{"text": f"{entry.slot.capitalize()} session: " + "; ".join(done)}],
    }
