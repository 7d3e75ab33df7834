"""Languages in the URL (/en/..., /pl/...), locale selection and the language switcher."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.urls import current_url
from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # reading a page never writes

LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "pl": "Polski",
    "ro": "Română",
    "hu": "Magyar",
}

# Translated names, for labels such as "Also available in".
LANGUAGE_LABELS = {
    "en": _l("English"),
    "de": _l("German"),
    "pl": _l("Polish"),
    "ro": _l("Romanian"),
    "hu": _l("Hungarian"),
}


def supported_languages() -> list[str]:
    """The configured languages, in menu order."""
    return list(current_app.config["LANGUAGES"])


def best_language() -> str:
    """The language for a request without one in the URL: account, then Accept-Language."""
    user_language = getattr(current_user, "language", None)
    if user_language in supported_languages():
        return user_language
    chosen = request.accept_languages.best_match(supported_languages())
    return chosen or current_app.config["DEFAULT_LANGUAGE"]


def select_locale() -> str:
    """Flask-Babel locale selector: the URL language when there is one."""
    return g.get("lang_code") or best_language()


def pull_lang_code(endpoint: str | None, values: dict | None) -> None:
    """Take <lang_code> out of the URL values into g, refusing unknown languages."""
    if values and "lang_code" in values:
        code = values.pop("lang_code")
        if code not in supported_languages():
            abort(404)
        g.lang_code = code
    elif values is None:
        # No route matched (a 404): still answer in the language the path starts with.
        first = request.path.strip("/").split("/", 1)[0]
        if first in supported_languages():
            g.lang_code = first


def add_lang_code(endpoint: str, values: dict) -> None:
    """Fill in <lang_code> for url_for, so links keep the current language."""
    if "lang_code" in values or not current_app.url_map.is_endpoint_expecting(
        endpoint, "lang_code"
    ):
        return
    values["lang_code"] = g.get("lang_code") or best_language()


def url_in_language(code: str) -> str:
    """The current page in another language (for the switcher); home when there is no page."""
    if request.endpoint and request.view_args is not None and g.get("lang_code"):
        return current_url(lang_code=code)
    return url_for("main.home", lang_code=code)


def remember_language() -> None:
    """Store the URL language on a logged-in member when they act (a form sent in that
    language), so their mails and next visit use it; reading a page changes nothing."""
    code = g.get("lang_code")
    if request.method in SAFE_METHODS:
        return
    if code and current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()


def redirect_to_language():
    """The bare site root: send the visitor to their best language."""
    return redirect(url_for("main.home", lang_code=best_language()))


_TRANSLATED: dict[tuple[int, str], dict[str, str]] = {}


def translated(table: Mapping[str, object], language: str) -> dict[str, str]:
    """A module-level label table with its lazy strings translated, once per language (the
    catalogs do not change while the process runs; pages show many labels)."""
    key = (id(table), language)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = {name: str(label) for name, label in table.items()}
    return found


def init_i18n(app: Flask) -> None:
    """Wire URL language handling and template helpers into the app."""
    app.url_value_preprocessor(pull_lang_code)
    app.url_defaults(add_lang_code)
    app.before_request(remember_language)
    app.add_url_rule("/", "root", redirect_to_language)
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        LANGUAGE_LABELS=LANGUAGE_LABELS,
        url_in_language=url_in_language,
        current_language=lambda: g.get("lang_code") or app.config["DEFAULT_LANGUAGE"],
    )
