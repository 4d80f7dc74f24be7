"""The FHIR Bundle: pain scores, red-flag checks and sessions, each valid R4B and streamed."""

from __future__ import annotations

import io
import json
import tracemalloc
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, NoReturn

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import BaseModel
from tests.factory import add_event, add_pain, add_screening, add_session

from spasm_coach import fhir
from spasm_coach.content import Content, ContentError
from spasm_coach.fhir import (
    ACTION_LINK_ID,
    ACTION_SYSTEM,
    CHANGED_LINK_ID,
    COMPLETE_LINK_ID,
    FHIR_NAMESPACE,
    KIND_LINK_ID,
    OUTCOME_LINK_ID,
    OUTCOME_SYSTEM,
    REASON_LINK_ID,
    SECONDS_LINK_ID,
    write_fhir,
)
from spasm_coach.records import AnswerChange, Record, Screening, SessionEvent, SessionRecord
from spasm_coach.store import Store
from spasm_coach.vocabulary import (
    CheckKind,
    EventKind,
    Level,
    PainContext,
    ScreeningReason,
    SessionOutcome,
)

PLUS1 = timezone(timedelta(hours=1))
MINUS5 = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=PLUS1)
MODELS: dict[str, type[BaseModel]] = {
    "CodeSystem": CodeSystem,
    "Patient": Patient,
    "Observation": Observation,
    "QuestionnaireResponse": QuestionnaireResponse,
    "Procedure": Procedure,
}
EVENT_STATUS = {
    "preparation",
    "in-progress",
    "not-done",
    "on-hold",
    "stopped",
    "completed",
    "entered-in-error",
    "unknown",
}
"""R4 Procedure.status (EventStatus): fhir.resources checks structure, not value sets."""


def at(hour: int, minute: int = 0, day: int = 23, tz: timezone = PLUS1) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


def session(
    store: Store,
    start: datetime,
    outcome: SessionOutcome | None,
    events: Iterable[tuple[int, EventKind, str | None, str | None]] = (),
    routine: str = "standard",
) -> SessionRecord:
    record = add_session(store, routine, "Standard: daily routine", start, None)
    for minute, kind, exercise, detail in events:
        add_event(store, record.uid, start + timedelta(minutes=minute), kind, exercise, detail)
    if outcome is not None:
        store.end_session(record.uid, start + timedelta(minutes=10), outcome)
    return record


@pytest.fixture
def log(store: Store, content: Content) -> Store:
    no = {flag.id: False for flag in content.flags}
    add_screening(store, Level.CLEAR, (), no, at(8), ScreeningReason.BEFORE_SESSION)
    soon = {**no, "not_improving": True, "pregnant": True}
    add_screening(
        store,
        Level.SOON,
        ("not_improving", "pregnant"),
        soon,
        at(12),
        ScreeningReason.HIGH_OR_RISING_PAIN,
    )
    add_pain(store, 6, at(8, 5), PainContext.BEFORE_SESSION, note="stiff <b>& sore</b>")
    session(
        store,
        at(8, 10),
        SessionOutcome.FINISHED,
        [
            (1, EventKind.EXERCISE_DONE, "knee_to_chest", None),
            (2, EventKind.EXERCISE_SKIPPED, "cobra", "It hurts too much"),
            (3, EventKind.EXERCISE_DONE, "cat_cow", None),
        ],
    )
    session(
        store, at(13), SessionOutcome.STOPPED_HURT, [(1, EventKind.STOPPED_HURT, "cobra", None)]
    )
    session(store, at(14), SessionOutcome.STOPPED)
    session(store, at(15), SessionOutcome.INTERRUPTED)
    session(store, at(16), SessionOutcome.CANCELLED)
    session(store, at(17), None)  # the coach was killed: no outcome
    return store


def bundle_of(
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    content: Content | None = None,
) -> tuple[dict[str, Any], int]:
    out = io.StringIO()
    count = write_fhir(store, out, since, until, NOW, content)
    return json.loads(out.getvalue()), count


def resources(doc: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == kind]


def test_every_resource_and_the_bundle_validate_as_r4b(log: Store) -> None:
    doc, count = bundle_of(log)
    assert count == 1
    Bundle.model_validate(doc)
    kinds = [entry["resource"]["resourceType"] for entry in doc["entry"]]
    assert kinds[0] == "Patient"
    assert kinds.count("Observation") == 1
    assert kinds.count("QuestionnaireResponse") == 2
    assert kinds.count("Procedure") == 6
    assert kinds.count("CodeSystem") == 2
    for entry in doc["entry"]:
        resource = entry["resource"]
        MODELS[resource["resourceType"]].model_validate(resource)
        uuid.UUID(entry["fullUrl"].removeprefix("urn:uuid:"))


def test_addresses_are_unique_and_stable_from_one_export_to_the_next(log: Store) -> None:
    first, _ = bundle_of(log)
    again, _ = bundle_of(log)
    urls = [entry["fullUrl"] for entry in first["entry"][1:]]
    assert len(set(urls)) == len(urls)
    assert urls == [entry["fullUrl"] for entry in again["entry"][1:]]
    screening_uids = [s.uid for s in log.screenings()]
    session_uids = [s.uid for s in log.sessions()]
    assert [f"urn:uuid:{uid}" for uid in screening_uids + session_uids] == urls[3:]


def test_every_resource_refers_to_the_one_patient(log: Store) -> None:
    doc, _ = bundle_of(log)
    patient = doc["entry"][0]["fullUrl"]
    for response in resources(doc, "QuestionnaireResponse"):
        assert response["subject"] == {"reference": patient}
        assert response["author"] == {"reference": patient}
    for procedure in resources(doc, "Procedure"):
        assert procedure["subject"] == {"reference": patient}
        assert procedure["performer"] == [{"actor": {"reference": patient}}]


def items_of(response: dict) -> dict[str, dict]:
    return {item["linkId"]: item for item in response["item"]}


def test_a_red_flag_check_is_a_completed_questionnaire_response(
    log: Store, content: Content
) -> None:
    doc, _ = bundle_of(log)
    clear, soon = resources(doc, "QuestionnaireResponse")
    assert soon["status"] == "completed"
    assert soon["authored"] == "2026-11-23T12:00:00+01:00"
    questions = soon["item"][:-4]
    assert [item["linkId"] for item in questions] == [flag.id for flag in content.flags]
    for item, flag in zip(questions, content.flags, strict=True):
        assert item["text"] == flag.question
        (answer,) = item["answer"]
        assert answer == {"valueBoolean": flag.id in ("not_improving", "pregnant")}
    outcome, action, kind, reason = soon["item"][-4:]
    assert (kind["linkId"], kind["answer"]) == (KIND_LINK_ID, [{"valueString": "full"}])
    assert outcome["linkId"] == OUTCOME_LINK_ID
    assert outcome["answer"] == [
        {
            "valueCoding": {
                "system": OUTCOME_SYSTEM,
                "code": "soon",
                "display": content.levels[Level.SOON].title,
            }
        }
    ]
    assert action["linkId"] == ACTION_LINK_ID
    assert action["answer"] == [
        {
            "valueCoding": {
                "system": ACTION_SYSTEM,
                "code": "pregnancy",
                "display": content.actions["pregnancy"].title,
            }
        }
    ]
    assert reason["linkId"] == REASON_LINK_ID
    assert reason["answer"] == [{"valueString": "high-or-rising-pain"}]
    clear_items = items_of(clear)
    assert clear_items[OUTCOME_LINK_ID]["answer"][0]["valueCoding"]["code"] == "clear"
    assert ACTION_LINK_ID not in clear_items
    assert not any(item["answer"][0].get("valueBoolean") for item in clear["item"][:-3])


def test_the_outcome_and_action_codes_are_the_projects_own_codesystems(
    log: Store, content: Content
) -> None:
    doc, _ = bundle_of(log)
    systems = {system["url"]: system for system in resources(doc, "CodeSystem")}
    assert set(systems) == {OUTCOME_SYSTEM, ACTION_SYSTEM}
    for url in systems:
        assert url.startswith(f"{FHIR_NAMESPACE}/CodeSystem/")
    outcome_codes = {concept["code"] for concept in systems[OUTCOME_SYSTEM]["concept"]}
    assert outcome_codes == {"clear", "soon", "urgent", "emergency"}
    action_codes = {concept["code"] for concept in systems[ACTION_SYSTEM]["concept"]}
    assert action_codes == set(content.actions)
    for system in systems.values():
        assert (system["status"], system["content"]) == ("active", "complete")
    for response in resources(doc, "QuestionnaireResponse"):
        for item in response["item"]:
            for answer in item["answer"]:
                coding = answer.get("valueCoding")
                if coding is not None:
                    assert coding["system"] in systems
                    codes = {c["code"] for c in systems[coding["system"]]["concept"]}
                    assert coding["code"] in codes


def test_a_check_cut_short_keeps_only_the_questions_answered(store: Store) -> None:
    """An emergency answer ends the check at once: the response is `stopped`, lists what was
    asked, and says what the sign called for."""
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(9),
            Level.EMERGENCY,
            ("saddle_numbness",),
            {"bladder_change": False, "saddle_numbness": True},
            ScreeningReason.BEFORE_SESSION,
            complete=False,
        )
    )
    doc, _ = bundle_of(store)
    (response,) = resources(doc, "QuestionnaireResponse")
    QuestionnaireResponse.model_validate(response)
    assert response["status"] == "stopped"
    assert [item["linkId"] for item in response["item"]] == [
        "bladder_change",
        "saddle_numbness",
        OUTCOME_LINK_ID,
        ACTION_LINK_ID,
        KIND_LINK_ID,
        COMPLETE_LINK_ID,
        REASON_LINK_ID,
    ]
    assert response["item"][1]["answer"] == [{"valueBoolean": True}]
    assert response["item"][2]["answer"][0]["valueCoding"]["code"] == "emergency"
    assert response["item"][3]["answer"] == [
        {
            "valueCoding": {
                "system": ACTION_SYSTEM,
                "code": "emergency_department",
                "display": "Go to the emergency department now",
            }
        }
    ]


def test_answers_known_but_not_asked_are_not_exported(store: Store, content: Content) -> None:
    """Pregnancy taken from the person's cautions, and 'the exercises made it worse' known to
    be no with no recent session, were never asked in that check: not answers in the record."""
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(9),
            Level.CLEAR,
            (),
            {"fever": False, "pregnant": True, "exercise_made_worse": False},
            ScreeningReason.BEFORE_SESSION,
            inferred=("pregnant", "exercise_made_worse"),
        )
    )
    doc, _ = bundle_of(store, content=content)
    (response,) = resources(doc, "QuestionnaireResponse")
    assert response["status"] == "completed"
    items = items_of(response)
    assert "fever" in items
    assert "pregnant" not in items
    assert "exercise_made_worse" not in items
    assert items[OUTCOME_LINK_ID]["answer"][0]["valueCoding"]["code"] == "clear"


def test_a_quick_check_says_so_and_asks_its_own_two_questions(
    store: Store, content: Content
) -> None:
    """The response names the kind of check, and a quick check's two answers read as asked."""
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(14),
            Level.CLEAR,
            (),
            {"emergency_signs_now": False, "anything_new": False},
            ScreeningReason.BEFORE_SESSION,
            kind=CheckKind.QUICK,
        )
    )
    doc, _ = bundle_of(store, content=content)
    (response,) = resources(doc, "QuestionnaireResponse")
    QuestionnaireResponse.model_validate(response)
    items = {item["linkId"]: item for item in response["item"]}
    assert items[KIND_LINK_ID]["answer"] == [{"valueString": "quick"}]
    assert items["emergency_signs_now"]["answer"] == [{"valueBoolean": False}]
    first_sign = content.flags_by_id[content.quick_check.signs[0]].short
    assert first_sign in items["emergency_signs_now"]["text"]
    assert items["anything_new"]["answer"] == [{"valueBoolean": False}]


@pytest.mark.parametrize(
    ("outcome", "status", "words"),
    [
        ("finished", "completed", "Finished"),
        ("stopped-hurt", "stopped", "Stopped because it hurt"),
        ("stopped", "stopped", "Stopped early"),
        ("interrupted", "stopped", "Interrupted"),
        ("cancelled", "not-done", "Not started"),
        (None, "stopped", "Interrupted"),
    ],
)
def test_a_session_is_a_procedure_whose_status_says_how_it_ended(
    log: Store, outcome: str | None, status: str, words: str
) -> None:
    doc, _ = bundle_of(log)
    records = list(log.sessions())
    procedures = resources(doc, "Procedure")
    record, procedure = next(
        (r, p) for r, p in zip(records, procedures, strict=True) if r.outcome == outcome
    )
    assert procedure["status"] == status
    assert status in EVENT_STATUS
    assert procedure["outcome"]["text"].startswith(words)
    assert procedure["code"]["text"] == "Stretching session: Standard: daily routine"
    assert procedure["performedPeriod"]["start"] == record.started_at.isoformat()
    if record.ended_at is None:
        assert "end" not in procedure["performedPeriod"]
    else:
        assert procedure["performedPeriod"]["end"] == record.ended_at.isoformat()
    if status == "completed":
        assert "statusReason" not in procedure
    else:
        assert procedure["statusReason"]["text"].startswith(words)


def test_a_procedure_notes_the_routine_and_what_was_done_and_skipped(log: Store) -> None:
    doc, _ = bundle_of(log)
    finished, hurt, stopped, *_ = resources(doc, "Procedure")
    notes = [note["text"] for note in finished["note"]]
    assert notes == [
        "Routine: Standard: daily routine (standard)",
        "Exercises done: Knee to chest, Cat-cow",
        "Skipped: Cobra (start as sphinx) (It hurts too much)",
    ]
    assert "It hurt during: Cobra (start as sphinx)" in [note["text"] for note in hurt["note"]]
    assert "Exercises done: none" in [note["text"] for note in stopped["note"]]


def test_times_keep_their_own_offset(store: Store) -> None:
    add_screening(store, Level.CLEAR, (), {"fever": False}, at(4, tz=MINUS5), ScreeningReason.CLI)
    session(store, at(5, tz=MINUS5), SessionOutcome.FINISHED)
    doc, _ = bundle_of(store)
    (response,) = resources(doc, "QuestionnaireResponse")
    (procedure,) = resources(doc, "Procedure")
    assert response["authored"] == "2026-11-23T04:00:00-05:00"
    assert procedure["performedPeriod"] == {
        "start": "2026-11-23T05:00:00-05:00",
        "end": "2026-11-23T05:10:00-05:00",
    }


def test_the_window_applies_to_checks_and_sessions(log: Store) -> None:
    doc, count = bundle_of(log, since=at(12), until=at(15))
    assert count == 0
    assert len(resources(doc, "QuestionnaireResponse")) == 1
    assert [p["status"] for p in resources(doc, "Procedure")] == ["stopped", "stopped"]


def test_without_readable_content_the_export_still_works_with_ids(
    log: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> NoReturn:
        raise ContentError("red_flags.toml", None, None, "not valid TOML")

    monkeypatch.setattr(fhir, "load_content", broken)
    doc, _ = bundle_of(log)
    Bundle.model_validate(doc)
    soon = resources(doc, "QuestionnaireResponse")[1]
    assert "text" not in soon["item"][0]
    assert soon["item"][0]["linkId"] == "saddle_numbness"
    assert items_of(soon)[OUTCOME_LINK_ID]["answer"] == [
        {"valueCoding": {"system": OUTCOME_SYSTEM, "code": "soon"}}
    ]
    assert ACTION_LINK_ID not in items_of(soon)
    assert resources(doc, "CodeSystem") == []
    notes = [note["text"] for note in resources(doc, "Procedure")[0]["note"]]
    assert "Exercises done: knee_to_chest, cat_cow" in notes


def test_an_observation_line_is_json_dumps_of_the_resource(store: Store) -> None:
    """Observations are written from a template (for speed); each is what json.dumps writes."""
    session = add_session(store, "gentle", "Gentle", at(9), None)
    add_pain(store, 0, at(9, tz=MINUS5), PainContext.BEFORE_SESSION)
    add_pain(store, 10, at(9, 30), PainContext.AFTER_SESSION, 'sore, "very"\n\\ café', session.uid)
    patient = "urn:uuid:" + str(uuid.uuid4())
    write = fhir.ObservationWriter(patient)
    for entry in store.pain_scores():
        notes = [{"text": f"context: {entry.context.value}"}]
        if entry.note:
            notes.append({"text": entry.note})
        expected = {
            "fullUrl": f"urn:uuid:{entry.uid}",
            "resource": {
                "resourceType": "Observation",
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/"
                                "observation-category",
                                "code": "survey",
                                "display": "Survey",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [
                        {
                            "system": "http://loinc.org",
                            "code": "72514-3",
                            "display": "Pain severity - 0-10 verbal numeric rating [Score] - "
                            "Reported",
                        }
                    ],
                    "text": "Pain severity 0-10",
                },
                "subject": {"reference": patient},
                "performer": [{"reference": patient}],
                "effectiveDateTime": entry.recorded_at.isoformat(),
                "valueInteger": entry.score,
                "note": notes,
            },
        }
        line = write(entry.row)
        assert line == json.dumps(expected, ensure_ascii=False)
        Observation.model_validate(json.loads(line)["resource"])


def test_a_log_of_scores_alone_never_loads_the_content(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question texts and exercise names are read only when a check or session needs them."""

    def not_needed() -> NoReturn:
        raise AssertionError("the content was loaded")

    monkeypatch.setattr(fhir, "load_content", not_needed)
    add_pain(store, 3, at(9))
    doc, count = bundle_of(store)
    assert count == 1
    assert len(resources(doc, "Observation")) == 1


def test_an_unknown_red_flag_id_keeps_its_answer(store: Store) -> None:
    """A check from an older or newer content version: the id stays, without a question."""
    add_screening(store, Level.CLEAR, (), {"retired_question": False}, at(9), ScreeningReason.CLI)
    doc, _ = bundle_of(store)
    (response,) = resources(doc, "QuestionnaireResponse")
    QuestionnaireResponse.model_validate(response)
    assert response["item"][0] == {
        "linkId": "retired_question",
        "answer": [{"valueBoolean": False}],
    }


BIG = 3_000
PEAK_LIMIT = 2 * 1024 * 1024


def test_checks_and_sessions_stream_without_holding_the_log(store: Store) -> None:
    start = datetime(2026, 1, 1, tzinfo=PLUS1)

    def records() -> Iterator[Record]:
        for i in range(BIG):
            moment = start + timedelta(hours=i)
            uid = str(uuid.UUID(int=3 * i + 1))
            screening, event = str(uuid.UUID(int=3 * i + 2)), str(uuid.UUID(int=3 * i + 3))
            yield Screening(
                screening, moment, Level.CLEAR, (), {"fever": False}, ScreeningReason.BEFORE_SESSION
            )
            yield SessionRecord(
                uid, "standard", "Standard", moment, moment, SessionOutcome.FINISHED, None
            )
            yield SessionEvent(event, uid, moment, EventKind.EXERCISE_DONE, "cat_cow")

    store.restore(records())
    out = io.StringIO()
    tracemalloc.start()
    try:
        write_fhir(store, _Discard(), None, None, NOW)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"peaked at {peak / 1e6:.2f} MB"
    write_fhir(store, out, None, None, NOW)
    doc = json.loads(out.getvalue())
    assert len(resources(doc, "Procedure")) == len(resources(doc, "QuestionnaireResponse")) == BIG


class _Discard(io.StringIO):
    """A sink that keeps nothing, so only the writer's own memory is measured."""

    def write(self, text: str) -> int:
        return len(text)


def test_an_answer_changed_with_back_is_kept_beside_the_last_one(store: Store) -> None:
    """A yes changed to no stays in the record: the question's item has the last answer, and an
    item says what was changed; the check's length is there too."""
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(9),
            Level.CLEAR,
            (),
            {"fever": False, "weight_loss": False},
            ScreeningReason.BEFORE_SESSION,
            changes=(AnswerChange("fever", True, False),),
            seconds=41.5,
        )
    )
    doc, _ = bundle_of(store)
    (response,) = resources(doc, "QuestionnaireResponse")
    QuestionnaireResponse.model_validate(response)
    by_link = {item["linkId"]: item for item in response["item"]}
    assert by_link["fever"]["answer"] == [{"valueBoolean": False}]
    changed = by_link[CHANGED_LINK_ID]
    assert changed["answer"] == [{"valueString": "fever: yes, then no"}]
    assert "high temperature" in changed["text"].lower()
    assert by_link[SECONDS_LINK_ID]["answer"] == [{"valueDecimal": 41.5}]
