"""On a 390 px phone, in German and Hungarian, with the long names members really have (German
compound words, e-mail-like names without a space, long organisations): ARENA's people,
messages and notification pages and a roundtable's member list fit the screen."""

from __future__ import annotations

import pytest

from app.arena.services import people
from app.extensions import db
from tests.fixtures.browser import PHONE

pytestmark = pytest.mark.browser

COMPOUND = "Rechtsextremismuspräventionsfortbildungsveranstaltungskoordinatorin"
HUNGARIAN = "Megszentségteleníthetetlenségeskedéseitekért"
ORGANISATION = (
    f"Landesarbeitsgemeinschaft{COMPOUND}Kinder-und-Jugendschutzbeauftragtenkonferenz"
    f" {HUNGARIAN}Egyesület"
)
EMAIL_LIKE = "maximiliane.rechtsextremismuspraevention@landesdemokratiezentrum.example.org"
WIDTH = "document.documentElement.scrollWidth"
# The innermost elements that reach past the phone's right edge (what to fix when it fails).
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth
               && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth))
  .slice(0, 5).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 30)}`)"""


@pytest.fixture
def long_named_members(make_user, make_roundtable):
    """A member with a compound-word name, a peer named like an e-mail address, both in the
    directory with long organisations, a conversation between them and a roundtable seat."""
    member = make_user(
        name=f"Maximiliane {COMPOUND}",
        organisation=ORGANISATION,
        public_profile=True,
        expertise=["schools", "online"],
        city=f"{HUNGARIAN}város",
    )
    peer = make_user(
        name=EMAIL_LIKE, organisation=ORGANISATION, public_profile=True, expertise=["schools"]
    )
    conversation = people.conversation_between(member, peer, create=True)
    people.send_message(conversation, peer, f"{COMPOUND} {EMAIL_LIKE} {HUNGARIAN}")
    db.session.commit()
    roundtable = make_roundtable(
        secretariat=[member], members=[peer], name=f"Runder Tisch {COMPOUND}"
    )
    return {
        "member": member,
        "peer": peer,
        "conversation": conversation.id,
        "roundtable": roundtable.id,
    }


@pytest.mark.parametrize("lang", ["de", "hu"])
def test_people_messages_and_notification_settings_fit_a_phone(
    browser_page, long_named_members, lang
):
    page = browser_page.log_in(long_named_members["member"].email)
    page.set_viewport_size(PHONE)
    peer_id, roundtable_id = long_named_members["peer"].id, long_named_members["roundtable"]
    paths = [
        f"/{lang}/arena/people",
        f"/{lang}/arena/people?q={COMPOUND[:12]}",
        f"/{lang}/arena/people/{peer_id}",
        f"/{lang}/arena/people/{peer_id}/contact",
        f"/{lang}/arena/messages",
        f"/{lang}/arena/messages/{long_named_members['conversation']}",
        f"/{lang}/arena/notifications",
        f"/{lang}/arena/notifications/settings",
        f"/{lang}/roundtables/{roundtable_id}/members",
    ]
    too_wide = {}
    for path in paths:
        browser_page.visit(path)
        if page.evaluate(WIDTH) > PHONE["width"]:
            too_wide[path] = (page.evaluate(WIDTH), page.evaluate(OVERFLOWING))
    assert too_wide == {}, "\n".join(f"{k}: {v}" for k, v in too_wide.items())
