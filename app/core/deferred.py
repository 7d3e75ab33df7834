"""Work that must not hold up a response (e.g. mail to members after a reporter's submit)."""

from __future__ import annotations

from collections.abc import Callable

from flask import after_this_request, copy_current_request_context, has_request_context


def after_response(task: Callable[[], None]) -> None:
    """Run `task` once the response has been sent (outside a request: run it now).

    The task runs in a copy of the request context, so it gets a fresh database session:
    pass it ids, not ORM objects of the request's session.
    """
    if not has_request_context():
        task()
        return
    wrapped = copy_current_request_context(task)

    @after_this_request
    def schedule(response):
        response.call_on_close(wrapped)
        return response
