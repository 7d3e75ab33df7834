"""Demo roundtables for the development set-up: one per country, with members from several
agencies, a past meeting (minutes, a decision, actions) and an upcoming public one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.accounts.demo import COUNTRY_LANGUAGES
from app.accounts.models import User, utcnow
from app.accounts.services import DEMO_DOMAIN, demo_allowed, find_by_email
from app.core.markup import render_markdown
from app.extensions import db
from app.roundtables.choices import COUNTRY_TIMEZONES
from app.roundtables.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Roundtable,
    RoundtableMember,
)


@dataclass(frozen=True)
class DemoRoundtable:
    """What one country's demo roundtable says, in its own language."""

    country: str
    name: str
    city: str
    place: str
    authority: str
    description: str
    past_title: str
    next_title: str
    minutes: str
    decision: str
    actions: tuple[str, str]


DEMO_ROUNDTABLES = (
    DemoRoundtable(
        "DE", "Runder Tisch Berlin-Neukölln", "Berlin", "Rathaus Neukölln, Karl-Marx-Straße 83",
        "Bezirksamt Neukölln",
        "Schule, Polizei, Jugendarbeit und Sozialdienste des Bezirks treffen sich monatlich, "
        "um Fälle gemeinsam zu besprechen und Prävention abzustimmen.",
        "Fallkonferenz", "Monatstreffen des Runden Tisches",
        "## Anwesend\nSchule, Polizei, Jugendarbeit.\n\n## Besprochen\n"
        "- Hassbotschaften in Klassenchats: Elternabend geplant.\n"
        "- Schulung zu Online-Radikalisierung für Lehrkräfte.",
        "Die Schule lädt zum Elternabend ein; die Jugendarbeit moderiert.",
        ("Einladung zum Elternabend verschicken", "Schulungstermin mit dem Trainer klären"),
    ),
    DemoRoundtable(
        "PL", "Okrągły stół Warszawa-Praga", "Warszawa", "Urząd Dzielnicy Praga-Północ",
        "Urząd Dzielnicy Praga-Północ",
        "Szkoły, policja, pomoc społeczna i organizacje pozarządowe dzielnicy spotykają się "
        "co miesiąc, aby wspólnie analizować przypadki mowy nienawiści.",
        "Konferencja przypadku", "Comiesięczne spotkanie okrągłego stołu",
        "## Obecni\nSzkoła, policja, pomoc społeczna.\n\n## Omówiono\n"
        "- Graffiti z symbolami nienawiści przy szkole.\n- Warsztaty dla rodziców.",
        "Dzielnica usunie graffiti w ciągu tygodnia; szkoła przygotuje lekcję.",
        ("Zgłosić graffiti do zarządu dzielnicy", "Przygotować warsztat dla rodziców"),
    ),
    DemoRoundtable(
        "RO", "Masa rotundă Cluj-Napoca", "Cluj-Napoca", "Primăria Cluj-Napoca, Sala de consiliu",
        "Primăria Cluj-Napoca",
        "Școli, poliție, asistență socială și societate civilă se întâlnesc lunar pentru "
        "analiză comună și răspuns la cazuri de ură și polarizare.",
        "Conferință de caz", "Întâlnirea lunară a mesei rotunde",
        "## Prezenți\nȘcoală, poliție, asistență socială.\n\n## Discutat\n"
        "- Mesaje de ură online împotriva unui elev.\n- Instruire pentru profesori.",
        "Școala organizează o oră de dirigenție; poliția informează părinții.",
        ("Programarea instruirii pentru profesori", "Contactarea părinților elevului"),
    ),
    DemoRoundtable(
        "HU", "Kerekasztal Budapest VIII. kerület", "Budapest",
        "Józsefvárosi Polgármesteri Hivatal", "Józsefvárosi Önkormányzat",
        "Iskolák, rendőrség, szociális szolgálat és ifjúsági munka havonta találkozik, hogy "
        "közösen elemezze az eseteket és összehangolja a megelőzést.",
        "Esetmegbeszélés", "A kerekasztal havi ülése",
        "## Jelen voltak\nIskola, rendőrség, ifjúsági munka.\n\n## Megbeszéltük\n"
        "- Gyűlöletkeltő üzenetek egy osztálycsoportban.\n- Szülői est szervezése.",
        "Az iskola szülői estet szervez; az ifjúsági munkás moderál.",
        ("Szülői est meghívójának kiküldése", "Tréning időpontjának egyeztetése"),
    ),
)
# The agencies each demo roundtable's members sit for (the coordinator sits for local
# government); two are left missing on purpose, so stakeholder mapping has something to say.
DEMO_SEATS = (("police", "police"), ("social_services", "social"), ("youth_work", "youth"))


def create_demo_roundtables() -> list[Roundtable]:
    """Create the demo roundtables that do not exist yet (idempotent); development only."""
    if not demo_allowed():
        raise PermissionError("demo roundtables exist only in development mode")
    created = [_create(demo) for demo in DEMO_ROUNDTABLES if not _exists(demo)]
    db.session.commit()
    return created


def _exists(demo: DemoRoundtable) -> bool:
    return db.session.scalar(select(Roundtable.id).where(Roundtable.name == demo.name)) is not None


def _create(demo: DemoRoundtable) -> Roundtable:
    """One demo roundtable with its seats and two meetings."""
    language = COUNTRY_LANGUAGES[demo.country]
    roundtable = Roundtable(
        name=demo.name, city=demo.city, country=demo.country, languages=[language, "en"],
        description=demo.description, description_html=render_markdown(demo.description),
        public_profile=True,
    )
    db.session.add(roundtable)
    coordinator = find_by_email(f"coordinator-{demo.country.lower()}@{DEMO_DOMAIN}")
    members = [_seat(roundtable, coordinator, "local_government", secretariat=True,
                     organisation=demo.authority)]
    members += [_seat(roundtable, _demo_member(demo.country, local), agency)
                for agency, local in DEMO_SEATS]
    db.session.flush()
    _past_meeting(roundtable, demo, language, members)
    _next_meeting(roundtable, demo, language, members)
    return roundtable


def _demo_member(country: str, local: str) -> User:
    """A demo member of the country (created once; it logs in only in development)."""
    email = f"{local}-{country.lower()}@{DEMO_DOMAIN}"
    user = find_by_email(email)
    if user is None:
        user = User(email=email, name=f"Demo {local.title()} {country}", country=country,
                    language=COUNTRY_LANGUAGES[country], status="approved",
                    email_confirmed_at=utcnow(), organisation=f"Demo {local.title()} Agency")
        user.set_password(f"demo-{local}-{country.lower()}-password")
        db.session.add(user)
    return user


def _seat(roundtable: Roundtable, user: User, agency: str, secretariat: bool = False,
          organisation: str = "") -> RoundtableMember:
    seat = RoundtableMember(roundtable=roundtable, user=user, agency=agency,
                            organisation=organisation or user.organisation or "", mandated=True,
                            secretariat=secretariat, status="active", joined_at=utcnow())
    db.session.add(seat)
    return seat


def _local(day: datetime, hour: int, zone: str) -> datetime:
    """`hour` o'clock local time in `zone` on `day`, in UTC."""
    local = datetime.combine(day.date(), time(hour), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def _meeting(roundtable: Roundtable, demo: DemoRoundtable, title: str, language: str,
             day: datetime, **fields) -> Meeting:
    zone = COUNTRY_TIMEZONES[roundtable.country]
    meeting = Meeting(roundtable=roundtable, title=title, language=language, timezone=zone,
                      starts_at=_local(day, 16, zone), ends_at=_local(day, 18, zone),
                      place=demo.place, **fields)
    db.session.add(meeting)
    return meeting


def _past_meeting(roundtable: Roundtable, demo: DemoRoundtable, language: str,
                  members: list[RoundtableMember]) -> None:
    """Last month's meeting: attended, minutes, a decision, one action done, one overdue."""
    meeting = _meeting(roundtable, demo, demo.past_title, language, utcnow() - timedelta(days=30),
                       minutes=demo.minutes, minutes_html=render_markdown(demo.minutes))
    for seat in members:
        db.session.add(Attendance(meeting=meeting, user=seat.user, status="attended"))
    meeting.decisions.append(Decision(text=demo.decision))
    today = utcnow().date()
    done, overdue = demo.actions
    db.session.add(ActionItem(roundtable=roundtable, meeting=meeting, title=done,
                              owner=members[0].user, due_on=today - timedelta(days=14),
                              status="done", closed_at=utcnow()))
    db.session.add(ActionItem(roundtable=roundtable, meeting=meeting, title=overdue,
                              owner=members[1].user, due_on=today - timedelta(days=3)))


def _next_meeting(roundtable: Roundtable, demo: DemoRoundtable, language: str,
                  members: list[RoundtableMember]) -> None:
    """Next month's public meeting, everyone invited, the first point on the agenda."""
    meeting = _meeting(roundtable, demo, demo.next_title, language, utcnow() + timedelta(days=14),
                       public=True)
    for seat in members:
        db.session.add(Attendance(meeting=meeting, user=seat.user, status="invited"))
    meeting.agenda.append(AgendaItem(title=demo.actions[1], owner=members[1].user, position=1))
