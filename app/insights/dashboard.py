"""The coordinators' and admins' dashboard: what came in, what ARENA did with it and how fast,
for one country (or all) and a period, counted in the database (GROUP BY) in a fixed number
of statements whatever the number of alerts and cases. Internal figures: nothing is hidden.

Definitions (README, "Dashboard"): an alert counts in the period of its created_at, whatever
its status (withdrawn and erased ones too: they were received); a case counts in the period of
its created_at. "First expert response": the earliest comment by a member (author set) or
recommendation written on the case; "first released recommendation": the earliest released_at
of its recommendations. Medians are taken in Python over one row per case of the period.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import ColumnElement, case, distinct, func, select, true

from app.accounts.models import User
from app.alerts.models import Alert, RecommendationFeedback
from app.arena.models import Case, Comment, Recommendation
from app.extensions import db
from app.insights.trends import month_key
from app.library.models import ContentItem

TOP = 10  # rows of the "waiting longest", "most recommended" and "unhelpful" tables


@dataclass(frozen=True)
class Scope:
    """Which alerts and cases count: one country (None: all) and a period of whole days."""

    country: str | None
    start: date  # first day, included
    end: date  # last day, included

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time())

    @property
    def since(self) -> datetime:
        """The first moment of the period."""
        return datetime.combine(self.start, datetime.min.time())

    def months(self) -> list[str]:
        """'YYYY-MM' of every month the period touches, oldest first."""
        first = self.start.year * 12 + self.start.month - 1
        last = self.end.year * 12 + self.end.month - 1
        return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]


@dataclass(frozen=True)
class CaseRow:
    """One case of the period, without anything personal: dates, labels and counts."""

    id: int
    country: str
    status: str
    created_at: datetime
    forwarded_at: datetime | None
    closed_at: datetime | None
    categories: list[str]
    setting: str
    topics: list[str]
    comments: int
    recommendations: int
    first_response_at: datetime | None
    first_release_at: datetime | None

    @property
    def hours_to_first_response(self) -> float | None:
        """Hours from the case's creation to the first expert response (None: none yet)."""
        return _hours(self.created_at, self.first_response_at)

    @property
    def hours_to_first_release(self) -> float | None:
        """Hours from the case's creation to the first released recommendation."""
        return _hours(self.created_at, self.first_release_at)


@dataclass(frozen=True)
class WaitingCase:
    """An open case without a released recommendation, and since when it waits."""

    id: int
    country: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class ItemCount:
    """A library item (id, type, slug, title) and how often it counts in a table."""

    key: str
    title: str
    item_type: str | None
    slug: str | None
    count: int
    helped: int = 0


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the dashboard for one scope."""

    scope: Scope
    alerts_total: int
    alerts_by_month: dict[str, int]
    alerts_by_status: dict[str, int]
    alerts_by_category: dict[str, int]
    alerts_by_setting: dict[str, int]
    alerts_by_topic: dict[str, int]
    alerts_by_language: dict[str, int]
    cases_by_status: dict[str, int]
    median_hours_to_first_response: float | None
    median_hours_to_first_release: float | None
    recommendations_released: int
    waiting_longest: list[WaitingCase]
    most_recommended: list[ItemCount]
    unhelpful: list[ItemCount]
    new_members: int
    pending_vettings: int


def _hours(start: datetime, end: datetime | None) -> float | None:
    """Hours between two stored moments (both naive UTC or both aware)."""
    if end is None:
        return None
    return (end - start).total_seconds() / 3600


def in_country(column, country: str | None) -> list[ColumnElement[bool]]:
    """The condition "column is the scope's country" (nothing for all countries)."""
    return [] if country is None else [column == country]


def alert_filter(scope: Scope) -> list[ColumnElement[bool]]:
    """Alerts received in the scope."""
    return [
        Alert.created_at >= scope.since,
        Alert.created_at < scope.until,
        *in_country(Alert.country, scope.country),
    ]


def case_filter(scope: Scope) -> list[ColumnElement[bool]]:
    """Cases opened in the scope."""
    return [
        Case.created_at >= scope.since,
        Case.created_at < scope.until,
        *in_country(Case.country, scope.country),
    ]


def json_values(column):
    """A JSON list column unnested into rows of its values (json_each / ..._elements_text)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(column).table_valued("value").render_derived()
    return func.json_each(column).table_valued("value")


def grouped_list(column, scope: Scope) -> dict[str, int]:
    """Alerts of the scope per value of a JSON list column (an alert counts once in each)."""
    values = json_values(column)
    rows = db.session.execute(
        select(values.c.value, func.count(distinct(Alert.id)))
        .select_from(Alert)
        .join(values, true())
        .where(*alert_filter(scope))
        .group_by(values.c.value)
    )
    return {str(key): number for key, number in rows}


def alert_breakdown(scope: Scope) -> Counter:
    """(month, status, setting, language) -> alerts of the scope: one grouped statement (one
    pass over the period's alerts) from which each of the four figures is summed."""
    month = month_key(Alert.created_at)
    rows = db.session.execute(
        select(month, Alert.status, Alert.setting, Alert.language, func.count())
        .where(*alert_filter(scope))
        .group_by(month, Alert.status, Alert.setting, Alert.language)
    )
    return Counter({tuple(row[:4]): row[4] for row in rows})


def summed(breakdown: Counter, position: int) -> dict[str, int]:
    """The breakdown summed per value of one of its four keys (0 month ... 3 language)."""
    totals: Counter = Counter()
    for key, number in breakdown.items():
        totals[str(key[position])] += number
    return dict(totals)


def cases_by_status(scope: Scope) -> dict[str, int]:
    """Cases opened in the scope per current status."""
    rows = db.session.execute(
        select(Case.status, func.count()).where(*case_filter(scope)).group_by(Case.status)
    )
    return dict(rows.all())


def case_rows(scope: Scope) -> list[CaseRow]:
    """One row per case opened in the scope (oldest first), in one statement: counts and
    first moments as correlated subqueries."""
    comments = select(func.count(Comment.id)).where(Comment.case_id == Case.id)
    recommendations = select(func.count(Recommendation.id)).where(Recommendation.case_id == Case.id)
    first_comment = (
        select(func.min(Comment.created_at))
        .where(Comment.case_id == Case.id, Comment.author_id.is_not(None))
        .scalar_subquery()
    )
    first_recommendation = (
        select(func.min(Recommendation.created_at))
        .where(Recommendation.case_id == Case.id)
        .scalar_subquery()
    )
    first_release = (
        select(func.min(Recommendation.released_at))
        .where(Recommendation.case_id == Case.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Case.id,
            Case.country,
            Case.status,
            Case.created_at,
            Alert.forwarded_at,
            Case.closed_at,
            Case.categories,
            Alert.setting,
            Alert.topics,
            comments.scalar_subquery(),
            recommendations.scalar_subquery(),
            first_comment,
            first_recommendation,
            first_release,
        )  # fmt: skip
        .join(Alert, Alert.id == Case.alert_id)
        .where(*case_filter(scope))
        .order_by(Case.created_at, Case.id)
    )
    return [_case_row(row) for row in rows]


def _case_row(row) -> CaseRow:
    """A CaseRow from the columns of `case_rows` (first response: comment or recommendation)."""
    *head, first_comment, first_recommendation, first_release = row
    firsts = [moment for moment in (first_comment, first_recommendation) if moment is not None]
    return CaseRow(*head, first_response_at=min(firsts, default=None),
                   first_release_at=first_release)  # fmt: skip


def median_hours(values: list[float | None]) -> float | None:
    """The median of the known durations (None when there is none)."""
    known = [value for value in values if value is not None]
    return median(known) if known else None


def recommendations_released(scope: Scope) -> int:
    """Recommendations released in the period, on cases of the scope's country."""
    return db.session.scalar(
        select(func.count())
        .select_from(Recommendation)
        .join(Case, Case.id == Recommendation.case_id)
        .where(
            Recommendation.released_at >= scope.since,
            Recommendation.released_at < scope.until,
            *in_country(Case.country, scope.country),
        )
    )


def waiting_longest(scope: Scope) -> list[WaitingCase]:
    """Open cases of the scope's country (any age) with no released recommendation yet,
    the longest waiting first."""
    released = select(Recommendation.id).where(
        Recommendation.case_id == Case.id, Recommendation.released_at.is_not(None)
    )
    rows = db.session.execute(
        select(Case.id, Case.country, Case.status, Case.created_at)
        .where(Case.status != "closed", ~released.exists())
        .where(*in_country(Case.country, scope.country))
        .order_by(Case.created_at, Case.id)
        .limit(TOP)
    )
    return [WaitingCase(*row) for row in rows]


def most_recommended(scope: Scope) -> list[ItemCount]:
    """Library items most often named by recommendations released in the period."""
    values = json_values(Recommendation.resource_ids)
    item_id = values.c.value
    rows = db.session.execute(
        select(item_id, func.count(distinct(Recommendation.id)).label("times"))
        .select_from(Recommendation)
        .join(Case, Case.id == Recommendation.case_id)
        .join(values, true())
        .where(
            Recommendation.released_at >= scope.since,
            Recommendation.released_at < scope.until,
            *in_country(Case.country, scope.country),
        )
        .group_by(item_id)
        .order_by(func.count(distinct(Recommendation.id)).desc(), item_id)
        .limit(TOP)
    ).all()
    items = _items_by_id([int(key) for key, _ in rows])
    return [_item_count(items.get(int(key)), str(key), times) for key, times in rows]


def _items_by_id(ids: list[int]) -> dict[int, ContentItem]:
    """The library items with these ids (one statement, none when there is no id)."""
    if not ids:
        return {}
    return {item.id: item for item in db.session.scalars(select(ContentItem).where(
        ContentItem.id.in_(ids)))}  # fmt: skip


def _item_count(item: ContentItem | None, key: str, times: int) -> ItemCount:
    """An ItemCount for a library item (a deleted one keeps its key as title)."""
    if item is None:
        return ItemCount(key, key, None, None, times)
    return ItemCount(key, item.title, item.type, item.slug, times)


def unhelpful_items(scope: Scope, language: str) -> list[ItemCount]:
    """Items rated "did not help" in the period on alerts of the scope's country, the most
    often first (with how often they helped)."""
    unhelpful = func.sum(case_when(RecommendationFeedback.helped.is_(False)))
    helped = func.sum(case_when(RecommendationFeedback.helped.is_(True)))
    rows = db.session.execute(
        select(RecommendationFeedback.doc_id, unhelpful, helped)
        .join(Alert, Alert.id == RecommendationFeedback.alert_id)
        .where(
            RecommendationFeedback.created_at >= scope.since,
            RecommendationFeedback.created_at < scope.until,
            *in_country(Alert.country, scope.country),
        )
        .group_by(RecommendationFeedback.doc_id)
        .having(unhelpful > 0)
        .order_by(unhelpful.desc(), RecommendationFeedback.doc_id)
        .limit(TOP)
    ).all()
    titles = _titles([doc_id for doc_id, *_ in rows], language)
    return [
        ItemCount(doc_id, titles.get(doc_id, doc_id), *_type_slug(doc_id), int(no), int(yes))
        for doc_id, no, yes in rows
    ]


def case_when(condition) -> ColumnElement[int]:
    """1 where the condition holds, else 0 (to sum)."""
    return case((condition, 1), else_=0)


def _type_slug(doc_id: str) -> tuple[str | None, str | None]:
    """("type", "slug") of a translation group id "type:slug"."""
    item_type, _, slug = doc_id.partition(":")
    return (item_type, slug) if slug else (None, None)


def _titles(doc_ids: list[str], language: str) -> dict[str, str]:
    """Titles of translation groups, in `language` when there is that version (one statement)."""
    slugs = [slug for _, slug in map(_type_slug, doc_ids) if slug]
    if not slugs:
        return {}
    rows = db.session.execute(
        select(ContentItem.type, ContentItem.slug, ContentItem.language, ContentItem.title)
        .where(ContentItem.slug.in_(slugs))
        .order_by(ContentItem.id)
    )
    titles: dict[str, str] = {}
    for item_type, slug, item_language, title in rows:
        key = f"{item_type}:{slug}"
        if key not in titles or item_language == language:
            titles[key] = title
    return titles


def member_counts(scope: Scope) -> tuple[int, int]:
    """(approved members who registered in the period, members waiting for vetting now)."""
    country = in_country(User.country, scope.country)
    new = select(func.count()).where(
        User.created_at >= scope.since, User.created_at < scope.until,
        User.status == "approved", *country,
    )  # fmt: skip
    pending = select(func.count()).where(User.status == "pending", *country)
    row = db.session.execute(select(new.scalar_subquery(), pending.scalar_subquery())).one()
    return row[0], row[1]


def build_dashboard(scope: Scope, language: str) -> Dashboard:
    """Every figure of the dashboard (a dozen statements, whatever the data size)."""
    breakdown = alert_breakdown(scope)
    months = summed(breakdown, 0)
    rows = case_rows(scope)
    new_members, pending = member_counts(scope)
    return Dashboard(
        scope=scope,
        alerts_total=sum(breakdown.values()),
        alerts_by_month={month: months.get(month, 0) for month in scope.months()},
        alerts_by_status=summed(breakdown, 1),
        alerts_by_category=grouped_list(Alert.categories, scope),
        alerts_by_setting=summed(breakdown, 2),
        alerts_by_topic=grouped_list(Alert.topics, scope),
        alerts_by_language=summed(breakdown, 3),
        cases_by_status=cases_by_status(scope),
        median_hours_to_first_response=median_hours([r.hours_to_first_response for r in rows]),
        median_hours_to_first_release=median_hours([r.hours_to_first_release for r in rows]),
        recommendations_released=recommendations_released(scope),
        waiting_longest=waiting_longest(scope),
        most_recommended=most_recommended(scope),
        unhelpful=unhelpful_items(scope, language),
        new_members=new_members,
        pending_vettings=pending,
    )
