"""Blinker signals: how one feature reacts to another without importing its views."""

from blinker import Namespace

portal_signals = Namespace()

# sender: the content item; fired after a commit changes what the library shows.
content_changed = portal_signals.signal("content-changed")
# sender: the user; fired when a coordinator approves, rejects or suspends a member.
member_status_changed = portal_signals.signal("member-status-changed")
# sender: the alert; fired by the worker's forwarding job, inside its unit of work: receivers
# add their rows to the session and do not commit (the job commits, or retries on failure).
alert_forwarded = portal_signals.signal("alert-forwarded")
# sender: the alert, with `text` (everything its reporter wrote); fired when a reporter
# withdraws an alert, inside the withdrawal's unit of work: receivers remove what quotes
# the text and do not commit (ALERT commits, so the text goes everywhere at once).
alert_withdrawn = portal_signals.signal("alert-withdrawn")
# sender: the alert; fired after the reporter's message to the experts is committed.
reporter_wrote = portal_signals.signal("reporter-wrote")
# sender: the user; fired just before a member's own account is deleted (drop their traces).
member_deleted = portal_signals.signal("member-deleted")
# sender: None; fired by the daily digest job before it mails what is owed: receivers add
# the notifications that belong in today's digest (roundtables: overdue actions).
digest_due = portal_signals.signal("digest-due")
