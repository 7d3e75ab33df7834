"""Joint evaluations: a roundtable's short structured review after a meeting cycle or a closed
case, and the de-identified library lesson draft made from one (reviewed like any item)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User, utcnow
from app.arena.models import Case
from app.arena.services.lesson_words import case_knowledge
from app.arena.services.lessons import summary_of, text_topics
from app.core.deidentify import Knowledge, deidentify
from app.extensions import db
from app.library.models import ContentItem
from app.roundtables.models import Evaluation, Meeting, Roundtable
from app.roundtables.services.cases import closed_adopted_cases

# The review's questions, in the order the form and the lesson show them.
SECTIONS = ("worked", "did_not_work", "to_change", "who_should_know")
# The lesson sheet a roundtable's evaluation fills (content/README.md: lesson keys).
LESSON_SHEET = "collaboration"


class EvaluationError(ValueError):
    """A change the evaluation does not allow (the message key says which)."""


@dataclass
class EvaluationText:
    """What the secretariat writes in the review."""

    title: str
    language: str
    worked: str = ""
    did_not_work: str = ""
    to_change: str = ""
    who_should_know: str = ""


def evaluations_of(roundtable: Roundtable) -> list[Evaluation]:
    """The roundtable's joint evaluations, the newest first."""
    return list(db.session.scalars(
        select(Evaluation).where(Evaluation.roundtable_id == roundtable.id)
        .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())))


def past_meetings(roundtable: Roundtable, limit: int = 30) -> list[Meeting]:
    """The roundtable's meetings that took place (not cancelled), the latest first."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.roundtable_id == roundtable.id,
                              Meeting.ends_at < utcnow(), Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at.desc()).limit(limit)))


def evaluated_meeting(roundtable: Roundtable, meeting_id: int | None) -> Meeting | None:
    """A past meeting of the roundtable (None when none is asked); LookupError otherwise."""
    if not meeting_id:
        return None
    meeting = next((m for m in past_meetings(roundtable, 1000) if m.id == meeting_id), None)
    if meeting is None:
        raise LookupError("meeting")
    return meeting


def evaluated_case(roundtable: Roundtable, case_id: int | None) -> Case | None:
    """A closed case the roundtable adopted (None when none is asked); LookupError otherwise."""
    if not case_id:
        return None
    case = next((c for c in closed_adopted_cases(roundtable) if c.id == case_id), None)
    if case is None:
        raise LookupError("case")
    return case


def create_evaluation(roundtable: Roundtable, author: User, text: EvaluationText,
                      meeting: Meeting | None = None, case: Case | None = None) -> Evaluation:
    """Record a joint evaluation (about a past meeting or a closed adopted case, or neither)."""
    evaluation = Evaluation(roundtable=roundtable, author_id=author.id,
                            meeting_id=meeting.id if meeting else None,
                            case_id=case.id if case else None)
    update_evaluation(evaluation, text)
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def update_evaluation(evaluation: Evaluation, text: EvaluationText) -> None:
    """Write the review's texts (trimmed) into the evaluation."""
    evaluation.title = text.title.strip()
    evaluation.language = text.language
    for name in SECTIONS:
        setattr(evaluation, name, (getattr(text, name) or "").strip())


def subject_of(evaluation: Evaluation) -> dict:
    """What the evaluation looks back on: {"meeting": Meeting | None, "case": Case | None}."""
    return {"meeting": db.session.get(Meeting, evaluation.meeting_id)
            if evaluation.meeting_id else None,
            "case": db.session.get(Case, evaluation.case_id) if evaluation.case_id else None}


def lesson_of(evaluation: Evaluation) -> ContentItem | None:
    """The lesson drafted from the evaluation, if any (and not deleted since)."""
    return db.session.get(ContentItem, evaluation.lesson_id) if evaluation.lesson_id else None


# From evaluation to lesson draft ---------------------------------------------------------


def section_headings(language: str) -> dict[str, str]:
    """The lesson's section headings in its language."""
    with force_locale(language):
        return {"worked": _("What worked"), "did_not_work": _("What did not work"),
                "to_change": _("What to change"), "who_should_know": _("Who should know")}


def lesson_texts(evaluation: Evaluation, known: Knowledge) -> dict[str, str]:
    """The title and each section of the evaluation, de-identified."""
    names = ("title", *SECTIONS)
    return {name: deidentify(getattr(evaluation, name) or "", known).text for name in names}


def lesson_body(texts: dict[str, str], language: str) -> str:
    """The lesson's Markdown: one heading per answered question."""
    headings = section_headings(language)
    return "\n\n".join(f"## {headings[name]}\n\n{texts[name]}"
                       for name in SECTIONS if texts[name].strip())


def create_lesson_draft(evaluation: Evaluation, author: User) -> ContentItem:
    """A de-identified "lesson" in review, in the evaluation's language; refused
    (EvaluationError("lesson_exists")) when one was already drafted."""
    if evaluation.lesson_id is not None:
        raise EvaluationError("lesson_exists")
    roundtable, language = evaluation.roundtable, evaluation.language
    texts = lesson_texts(evaluation, case_knowledge(language, roundtable.city))
    body = lesson_body(texts, language)
    item = ContentItem(
        type="lesson", slug=f"roundtable-evaluation-{evaluation.id}", language=language,
        title=texts["title"] or section_headings(language)["worked"],
        summary=summary_of(texts["to_change"] or texts["worked"]),
        topics=text_topics(body, language, []), countries=[roundtable.country],
        status="in_review", author_id=author.id,
        extra={"sheet": LESSON_SHEET, "roundtables": [roundtable.city or roundtable.name],
               "roundtable_evaluation_id": evaluation.id},
    )
    item.set_body(body)
    db.session.add(item)
    db.session.flush()
    evaluation.lesson_id = item.id
    return item
