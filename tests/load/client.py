"""Reporters at the same time: each opens the ALERT form, then sends it through the real POST,
resending with the same cookie, token and submission key when the connection fails."""

from __future__ import annotations

import html
import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from tests.load.texts import Report

TIMEOUT = 120.0  # seconds a reporter waits for one answer before sending again
ATTEMPTS = 3  # sends of one report (the first and two resends after a failed connection)
RECEIPT = re.compile(r'id="receipt-code"[^>]*>(.*?)</span>', re.S)
RESULT_PAGE = 'id="receipt-title"'  # the receipt section: shown with or without the code
EMERGENCY_BOX = 'class="emergency-box"'
WARM_UP_CONCURRENCY = 8


@dataclass
class Outcome:
    """What one reporter saw."""

    report: Report
    status: int = 0  # the final answer's HTTP status; 0: no answer at all
    result_page: bool = False  # the "report received" page (with or without the code)
    receipt: str | None = None  # the code shown, when shown
    seconds: float | None = None  # from the first send to the final answer
    failures: int = 0  # requests (form or send) that got no answer: connection lost, timeout
    emergency: bool = False  # the final page shows the emergency numbers
    keyed: bool = False  # the form carried a submission key


class Form:
    """One browser's form: its cookie, CSRF token and submission key."""

    def __init__(self, cookie: str, page: str) -> None:
        self.cookie = cookie
        self.token = hidden_value(page, "csrf_token")
        self.key = hidden_value(page, "submission_key")


def hidden_value(page: str, name: str) -> str | None:
    """The value of a named input in a page."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    value = re.search(r'\bvalue="([^"]*)"', tag.group()) if tag else None
    return html.unescape(value.group(1)) if value else None


def send(base: str, method: str, path: str, body: str | None = None,
         cookie: str = "") -> tuple[int, str, str]:
    """One request on a fresh connection: status, page, the cookies it set."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    headers = {"Connection": "close", "Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode("utf-8", errors="replace")
        cookies = [value.split(";", 1)[0] for value in response.headers.get_all("Set-Cookie") or []]
        return response.status, page, "; ".join(cookies)
    finally:
        connection.close()


def open_form(base: str, outcome: Outcome) -> Form:
    """GET the form in the report's language (tried ATTEMPTS times; lost connections counted)."""
    for attempt in range(ATTEMPTS):
        try:
            status, page, cookie = send(base, "GET", f"/{outcome.report.lang}/alert/")
            if status == 200:
                return Form(cookie, page)
        except OSError:
            outcome.failures += 1
        time.sleep(0.5 * (attempt + 1))
    raise ConnectionError("the form did not open")


def submit(base: str, report: Report) -> Outcome:
    """Open the form and send the report; resend on a lost connection, never on an answer."""
    outcome = Outcome(report)
    try:
        form = open_form(base, outcome)
    except ConnectionError:
        return outcome
    outcome.keyed = form.key is not None
    fields = [("csrf_token", form.token or ""), *report.form()]
    if form.key:
        fields.append(("submission_key", form.key))
    started = time.perf_counter()
    for _attempt in range(ATTEMPTS):
        try:
            status, page, _cookie = send(base, "POST", f"/{report.lang}/alert/",
                                         urlencode(fields), form.cookie)
        except OSError:
            outcome.failures += 1
            continue
        _read_answer(outcome, status, page, time.perf_counter() - started)
        break
    return outcome


def _read_answer(outcome: Outcome, status: int, page: str, seconds: float) -> None:
    """Status, receipt code and emergency numbers of the final answer."""
    outcome.status, outcome.seconds = status, seconds
    outcome.result_page = status < 300 and RESULT_PAGE in page
    found = RECEIPT.search(page)
    outcome.receipt = re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else None
    outcome.emergency = EMERGENCY_BOX in page


def warm_up(base: str, reports: list[Report], calls: int) -> int:
    """Match `calls` texts through the JSON API (nothing is stored) so every worker has loaded
    its models and index before the load; how many answered 200."""
    answered = 0
    with ThreadPoolExecutor(max_workers=WARM_UP_CONCURRENCY) as pool:
        for status in pool.map(lambda report: _match(base, report), reports[:calls]):
            answered += status == 200
    return answered


def _match(base: str, report: Report) -> int:
    """POST one text to /api/v1/match; the status (0: no answer)."""
    body = json.dumps({"text": report.text, "lang": report.lang, "country": report.country,
                       "setting": report.setting, "categories": list(report.categories)})
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request("POST", "/api/v1/match", body=body,
                           headers={"Content-Type": "application/json", "Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def readiness(base: str) -> str:
    """What /readyz says, e.g. "readyz 200: ready, index healthy" (older code: none)."""
    try:
        status, page, _cookie = send(base, "GET", "/readyz")
        state = json.loads(page)
    except (OSError, ValueError):
        return "no /readyz"
    if not isinstance(state, dict):
        return f"readyz {status}"
    index = state.get("index") or {}
    return f"readyz {status}: {state.get('status')}, index {index.get('state', '?')}"


def submit_all(base: str, reports: list[Report], concurrency: int, deadline: float,
               at_half: Callable[[], None]) -> list[Outcome]:
    """Every report by `concurrency` reporters at a time; `at_half` runs once half of them
    were answered (the rest are in flight or waiting). Reports not started before `deadline`
    (time.monotonic) are left out; on Ctrl-C no further report starts."""
    lock, answered, half = threading.Lock(), [0], max(1, len(reports) // 2)
    stopping = threading.Event()

    def one(report: Report) -> Outcome | None:
        """A reporter's turn (None once the deadline passed or the run is stopping)."""
        if stopping.is_set() or time.monotonic() > deadline:
            return None
        outcome = submit(base, report)
        with lock:
            answered[0] += 1
            reached = answered[0] == half
        if reached:
            at_half()  # quick (a kill, a write); this reporter's thread takes it
        return outcome

    pool = ThreadPoolExecutor(max_workers=concurrency)
    try:
        outcomes = list(pool.map(one, reports))
    except BaseException:
        stopping.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [outcome for outcome in outcomes if outcome is not None]
