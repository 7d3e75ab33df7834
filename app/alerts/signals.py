"""ALERT's own signal: how the follow-up page learns what ARENA's experts released.

`followup_requested.send(alert)`: sender is the Alert. Each receiver returns a list of released
recommendations for that alert (ARENA: `released_recommendations(alert)`); ALERT shows them
oldest first. An item may be an object or a dict with: `action` (what to do), `reason` (why),
`actors` (list of who should act), `urgency` (low/medium/high), `released_at` (datetime) and
optionally `resources` (list of {"title", "type", "slug", "language"} library items).
Receivers must only return what an expert has released to the reporter; no member identity.
"""

from app.core.signals import portal_signals

followup_requested = portal_signals.signal("alert-followup-requested")

# `followup_joined.send(alert)`: sender is the Alert. A receiver returns the alert whose case
# the alert's case was merged into as a duplicate (ARENA), or None. The follow-up page then
# shows that case's status, released recommendations and experts' messages, never the other
# reporter's text.
followup_joined = portal_signals.signal("alert-followup-joined")

# `followup_shared.send(alert)`: sender is the Alert, about to be withdrawn. A receiver returns
# the other alerts, not withdrawn, whose reporters read this alert's experts' messages (ARENA:
# the reports merged into its case), or an empty list; each keeps a copy of those messages.
followup_shared = portal_signals.signal("alert-followup-shared")
