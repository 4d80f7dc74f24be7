"""The pain log as a FHIR R4 collection Bundle, for a clinician's health record.

One anonymous Patient, then, each streamed from the store and written one at a time (memory stays
flat however long the log is):

- an **Observation** per pain score: LOINC 72514-3 (0-10 numeric rating), survey category,
  `effectiveDateTime` with the offset it was entered with, `valueInteger`, context and note as
  `note` (the clinical reference, section 5);
- a **QuestionnaireResponse** per red-flag check: status `completed`, or `stopped` for a check
  that ended before its last question (at an emergency sign, or left after a yes); `authored`
  when it was answered; an `item` per question the person was asked and answered (linkId = the
  red-flag id, which is a contract, text = the question, `valueBoolean`, the last answer given;
  an answer known from elsewhere, such as pregnancy from the person's cautions, was not asked
  and is not exported as an answer); an item per answer changed with Back
  (`red-flag-changed-answer`: "fever: yes, then no", so a yes taken back is never lost); then
  the outcome level as a `valueCoding` in the project's own CodeSystem (OUTCOME_SYSTEM: code =
  the level id, display = its title), what the signs call for (ACTION_SYSTEM: an ambulance, A&E,
  the maternity unit), why the check was asked and how long it took in seconds. Items rather
  than an extension, because every viewer shows items while an unknown extension is usually
  hidden; plain items validate in R4B as they are. The two CodeSystems themselves are in the
  Bundle, so a reader needs nothing from elsewhere to know what each code means;
- a **Procedure** per stretch session. A self-guided stretching session at home is an action the
  person did, not a measurement of them, so Procedure fits where Observation doesn't:
  Procedure.status says exactly what happened (completed, stopped, not-done), `performedPeriod`
  holds the start and end, `outcome` and `statusReason` take the outcome in words, and `note`
  the routine, the exercises done and the ones skipped with the reason given. An Observation
  would need an invented code and value, and its status (final, amended...) can't say
  "stopped because it hurt". A session the coach never closed reads as interrupted, as it does
  everywhere else in the app, so it is `stopped`, not `in-progress`.

Every resource's fullUrl is `urn:uuid:` + the record's uid, so the same record keeps its address
from one export to the next.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import IO, Any

from spasm_coach.advice import NO_REGION_WORDS, outcome_advice
from spasm_coach.content import Content, ContentError, load_content
from spasm_coach.log_reader import LogReader
from spasm_coach.records import PainRow, Screening, SessionRecord, iso
from spasm_coach.vocabulary import NO_REASON, EventKind, Level, QuickAnswer, SessionOutcome

LOINC_PAIN = {
    "system": "http://loinc.org",
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
SURVEY_CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
PROCEDURE_STATUS = {
    SessionOutcome.FINISHED: "completed",
    SessionOutcome.STOPPED: "stopped",
    SessionOutcome.STOPPED_HURT: "stopped",
    SessionOutcome.INTERRUPTED: "stopped",
    SessionOutcome.CANCELLED: "not-done",
}
FHIR_NAMESPACE = "https://spasm-coach.invalid/fhir"
"""The project's own namespace for the codes it defines. A reserved name (.invalid) until the
project publishes them at an address of its own; the Bundle carries the CodeSystems meanwhile."""
OUTCOME_SYSTEM = f"{FHIR_NAMESPACE}/CodeSystem/red-flag-outcome"
ACTION_SYSTEM = f"{FHIR_NAMESPACE}/CodeSystem/red-flag-action"
OUTCOME_LINK_ID = "red-flag-outcome"
ACTION_LINK_ID = "red-flag-action"
REASON_LINK_ID = "red-flag-reason"
KIND_LINK_ID = "red-flag-check-kind"
COMPLETE_LINK_ID = "red-flag-check-finished"
CHANGED_LINK_ID = "red-flag-changed-answer"
SECONDS_LINK_ID = "red-flag-check-seconds"
"""Item linkIds beside the red-flag ids; no red-flag id starts with 'red-flag-'."""


def _time(moment: datetime) -> str:
    text = iso(moment)
    assert text is not None
    return text


json_text = json.JSONEncoder(ensure_ascii=False).encode
"""A string as json.dumps(text, ensure_ascii=False) writes it."""


class ObservationWriter:
    """A pain score's Observation as JSON text, one line, as json.dumps would write it (keys in
    the order below). What is the same for every score (the codes, the patient) is encoded
    once; each score fills in its uid, time, score, context and note. Only the note needs
    escaping: the rest are UUIDs, ISO times, numbers and vocabulary words.

    The resource: status final, survey category, LOINC 72514-3, the patient as subject and
    performer, `effectiveDateTime` with the offset it was entered with, `valueInteger`, and
    `note` holding the context, then the person's note if there is one.
    """

    def __init__(self, patient_url: str) -> None:
        patient = json_text(patient_url)
        category, code = json.dumps(SURVEY_CATEGORY), json.dumps(LOINC_PAIN)
        self._middle = (
            f'"resource": {{"resourceType": "Observation", "status": "final", '
            f'"category": [{category}], '
            f'"code": {{"coding": [{code}], "text": "Pain severity 0-10"}}, '
            f'"subject": {{"reference": {patient}}}, '
            f'"performer": [{{"reference": {patient}}}], '
        )

    def __call__(self, row: PainRow) -> str:
        uid, recorded_at, score, context, note, _ = row
        notes = f'{{"text": "context: {context}"}}'
        if note:
            notes += f', {{"text": {json_text(note)}}}'
        return (
            f'{{"fullUrl": "urn:uuid:{uid}", {self._middle}"effectiveDateTime": "{recorded_at}", '
            f'"valueInteger": {score}, "note": [{notes}]}}}}'
        )


def fhir_questionnaire_response(
    screening: Screening, patient_url: str, content: Content | None
) -> dict[str, Any]:
    """A red-flag check: each answer as an item, then the outcome level and why it was asked."""
    flags = content.flags_by_id if content else {}
    items: list[dict[str, Any]] = []
    quick = content.quick_check if content else None
    for flag_id, answer in screening.answers.items():
        if flag_id in screening.inferred:
            continue  # known, not asked: not an answer the person gave in this check
        item: dict[str, Any] = {"linkId": flag_id}
        if flag_id in flags:
            item["text"] = flags[flag_id].question
        elif quick is not None and flag_id == QuickAnswer.EMERGENCY_SIGNS.value:
            signs = "; ".join(flags[sign].short for sign in quick.signs if sign in flags)
            item["text"] = f"{quick.signs_question} {signs}"
        elif quick is not None and flag_id == QuickAnswer.ANYTHING_NEW.value:
            item["text"] = "Is anything else new or worse since the last full check?"
        item["answer"] = [{"valueBoolean": bool(answer)}]
        items.append(item)
    for change in screening.changes:
        question = flags[change.id].question if change.id in flags else change.id
        items.append(
            {
                "linkId": CHANGED_LINK_ID,
                "text": f"An answer changed with Back: {question}",
                "answer": [
                    {"valueString": f"{change.id}: {_yes(change.was)}, then {_yes(change.now)}"}
                ],
            }
        )
    outcome: dict[str, Any] = {"system": OUTCOME_SYSTEM, "code": screening.level.value}
    advice = _level_advice(content, screening.level)
    if advice:
        outcome["display"] = advice
    items.append(
        {
            "linkId": OUTCOME_LINK_ID,
            "text": "Outcome of the red-flag check (the highest level answered yes)",
            "answer": [{"valueCoding": outcome}],
        }
    )
    actions = _actions(content, screening)
    if actions:
        items.append(
            {
                "linkId": ACTION_LINK_ID,
                "text": "What the signs answered yes call for",
                "answer": [{"valueCoding": action} for action in actions],
            }
        )
    items.append(
        {
            "linkId": KIND_LINK_ID,
            "text": "Which check: the full one (once a day) or the quick one (between them)",
            "answer": [{"valueString": screening.kind.value}],
        }
    )
    if not screening.complete:
        items.append(
            {
                "linkId": COMPLETE_LINK_ID,
                "text": "Finished",
                "answer": [{"valueBoolean": False}],
            }
        )
    items.append(
        {
            "linkId": REASON_LINK_ID,
            "text": "Why the check was asked",
            "answer": [{"valueString": screening.reason.value}],
        }
    )
    if screening.seconds is not None:
        items.append(
            {
                "linkId": SECONDS_LINK_ID,
                "text": "How long the check took, in seconds",
                "answer": [{"valueDecimal": screening.seconds}],
            }
        )
    return {
        "fullUrl": f"urn:uuid:{screening.uid}",
        "resource": {
            "resourceType": "QuestionnaireResponse",
            "status": "completed" if screening.complete else "stopped",
            "subject": {"reference": patient_url},
            "authored": _time(screening.screened_at),
            "author": {"reference": patient_url},
            "source": {"reference": patient_url},
            "item": items,
        },
    }


def _yes(answer: bool | None) -> str:
    return "no longer asked" if answer is None else "yes" if answer else "no"


def _level_advice(content: Content | None, level: Level) -> str | None:
    return None if content is None else content.levels[level].title


def _actions(content: Content | None, screening: Screening) -> list[dict[str, str]]:
    """The actions the yes answers call for, most urgent first, in words with no region's
    numbers (the export goes to a clinician anywhere)."""
    if content is None:
        return []
    advice = outcome_advice(content, screening.level, screening.flags, None)
    return [
        {"system": ACTION_SYSTEM, "code": group.action_id, "display": group.action}
        for group in advice.groups
        if group.action_id is not None
    ]


def code_systems(content: Content) -> list[dict[str, Any]]:
    """The project's CodeSystems for the red-flag outcome and actions, as Bundle entries: the
    codes the QuestionnaireResponses use, each with its meaning."""
    levels = [
        {"code": level.value, "display": content.levels[level].title} for level in reversed(Level)
    ]
    actions = [
        {"code": action_id, "display": action.with_words(NO_REGION_WORDS).title}
        for action_id, action in content.actions.items()
    ]
    entries = []
    for name, url, title, concepts in (
        ("RedFlagOutcome", OUTCOME_SYSTEM, "Outcome of a red-flag check", levels),
        ("RedFlagAction", ACTION_SYSTEM, "What a red-flag sign calls for", actions),
    ):
        entries.append(
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}",
                "resource": {
                    "resourceType": "CodeSystem",
                    "url": url,
                    "name": name,
                    "title": title,
                    "status": "active",
                    "content": "complete",
                    "concept": concepts,
                },
            }
        )
    return entries


def fhir_procedure(
    record: SessionRecord, store: LogReader, patient_url: str, content: Content | None
) -> dict[str, Any]:
    """A stretch session: status from its outcome, its period, and what was done and skipped."""
    exercises = content.exercises if content else {}

    def name(exercise_id: str | None) -> str:
        exercise = exercises.get(exercise_id or "")
        return exercise.name if exercise else (exercise_id or "an exercise")

    done: list[str] = []
    skipped: list[str] = []
    hurt: list[str] = []
    for event in store.events(record.uid):
        if event.kind is EventKind.EXERCISE_DONE:
            done.append(name(event.exercise_id))
        elif event.kind is EventKind.EXERCISE_SKIPPED:
            skipped.append(f"{name(event.exercise_id)} ({event.detail or NO_REASON})")
        elif event.kind is EventKind.STOPPED_HURT:
            hurt.append(name(event.exercise_id))
    outcome = record.status
    words = outcome.described
    notes = [{"text": f"Routine: {record.routine_name} ({record.routine_id})"}]
    notes.append({"text": "Exercises done: " + (", ".join(done) if done else "none")})
    if skipped:
        notes.append({"text": "Skipped: " + "; ".join(skipped)})
    if hurt:
        notes.append({"text": "It hurt during: " + ", ".join(hurt)})
    period = {"start": _time(record.started_at)}
    if record.ended_at is not None:
        period["end"] = _time(record.ended_at)
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": PROCEDURE_STATUS[outcome],
    }
    if resource["status"] in ("stopped", "not-done"):
        resource["statusReason"] = {"text": words}
    resource.update(
        {
            "category": {"text": "Self-guided exercise at home"},
            "code": {"text": f"Stretching session: {record.routine_name}"},
            "subject": {"reference": patient_url},
            "performedPeriod": period,
            "recorder": {"reference": patient_url},
            "asserter": {"reference": patient_url},
            "performer": [{"actor": {"reference": patient_url}}],
            "outcome": {"text": words},
            "note": notes,
        }
    )
    return {"fullUrl": f"urn:uuid:{record.uid}", "resource": resource}


def _packaged_content() -> Content | None:
    """The built-in content for the question texts; an export still works without it."""
    try:
        return load_content()
    except ContentError:
        return None


def write_fhir(
    store: LogReader,
    out: IO[str],
    since: datetime | None,
    until: datetime | None,
    now: datetime,
    content: Content | None = None,
) -> int:
    """Stream the Bundle for since <= time < until; returns the number of pain scores written.

    `content` gives the red-flag question texts and exercise names (the built-in content when
    None; without any, the ids stand in for them).
    """
    patient_url = f"urn:uuid:{uuid.uuid4()}"
    head = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _time(now),
    }
    out.write(json.dumps(head, indent=2)[:-2] + ',\n  "entry": [\n')
    patient = {"fullUrl": patient_url, "resource": {"resourceType": "Patient", "active": True}}
    out.write("    " + json.dumps(patient, ensure_ascii=False))
    count = 0
    observation = ObservationWriter(patient_url)
    for row in store.pain_rows(since, until):
        out.write(",\n    " + observation(row))
        count += 1
    loaded = content is not None

    def texts() -> Content | None:
        """The content, loaded when the first check or session needs it (a log of scores alone
        never does)."""
        nonlocal content, loaded
        if not loaded:
            content, loaded = _packaged_content(), True
        return content

    systems_written = False
    for screening in store.screenings(since, until):
        if not systems_written and (loaded_content := texts()) is not None:
            for entry in code_systems(loaded_content):
                _write_entry(out, entry)
            systems_written = True
        _write_entry(out, fhir_questionnaire_response(screening, patient_url, texts()))
    for record in store.sessions(since, until):
        _write_entry(out, fhir_procedure(record, store, patient_url, texts()))
    out.write("\n  ]\n}\n")
    return count


def _write_entry(out: IO[str], entry: dict[str, Any]) -> None:
    out.write(",\n    " + json.dumps(entry, ensure_ascii=False))
