"""Training Yard views: browse, own lists, detail pages, and publishing by experts."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required, coordinator_required
from app.accounts.choices import COUNTRIES, PROFESSIONS
from app.core.i18n import LANGUAGE_LABELS, translated
from app.core.markup import render_markdown
from app.core.pagination import ListPage, paginate_list
from app.extensions import db
from app.library import (
    bp,
    choices,
    directories,
    directory_access,
    directory_forms,
    services,
    translations,
)
from app.library import publishing as pub
from app.library.browse import active_filters, facet_groups, query_from_args
from app.library.directory_access import DIRECTORY_TYPES
from app.library.forms import DIRECTORY_EXTRA, ConfirmForm, ItemForm, ReviewForm, agencies
from app.library.links import library_url
from app.library.models import CONTENT_TYPES, ContentItem
from app.search.services import rebuild_in_progress, search_library


def _language() -> str:
    """The page language."""
    return g.get("lang_code") or current_app.config["DEFAULT_LANGUAGE"]


def _user():
    """The logged-in member, or None."""
    return current_user if current_user.is_authenticated else None


@bp.context_processor
def library_labels() -> dict:
    """Translated label tables for the library templates."""
    language = _language()
    tables = {
        "TYPE_LABELS": choices.TYPE_LABELS, "FACET_LABELS": choices.FACET_LABELS,
        "SORT_LABELS": choices.SORT_LABELS, "STATUS_LABELS": choices.STATUS_LABELS,
        "EVIDENCE_LABELS": choices.EVIDENCE_LABELS, "EVIDENCE_HINTS": choices.EVIDENCE_HINTS,
        "TRAINING_FORMATS": choices.TRAINING_FORMATS, "COUNTRIES": COUNTRIES,
        "PROFESSIONS": PROFESSIONS,
    }
    tables["AGENCY_LABELS"] = agencies()
    return {name: translated(table, language) for name, table in tables.items()} | {
        "topic_label": lambda key: choices.topic_label(key, language)}


bp.add_app_template_global(library_url, "library_url")


# Browse ----------------------------------------------------------------------------------


@bp.get("/")
def index():
    """The library with facets, text search, sort and pages (all in the URL)."""
    query = query_from_args(request.args, _language(), current_app.config["PAGE_SIZE"])
    results = search_library(query)
    return render_template(
        "library/index.html", query=query, results=results,
        rebuilding=results.fallback and rebuild_in_progress(),
        facets=facet_groups(results.facets, query, request.args),
        chosen=active_filters(query, request.args),
    )


@bp.get("/trainers")
def trainers():
    """Trainers, filtered by country and training language."""
    country, speaks = _arg("country", COUNTRIES), _arg("speaks", current_app.config["LANGUAGES"])
    items = services.list_trainers(_language(), country, speaks, _page_number(),
                                   current_app.config["PAGE_SIZE"])
    return render_template("library/trainers.html", items=items, country=country, speaks=speaks)


@bp.get("/experts")
def experts():
    """Listed external experts, and for approved members also the members who show their
    profile to other approved members (never to visitors)."""
    country = _arg("country", COUNTRIES)
    topic = _arg("topic", [key for key, _label in choices.topic_choices(_language())])
    sees_members = current_user.is_authenticated and current_user.is_approved
    return render_template(
        "library/experts.html", country=country, topic=topic, sees_members=sees_members,
        members=_page_of(services.list_member_experts(country, topic) if sees_members else []),
        externals=services.list_external_experts(_language(), country, topic),
        topics=choices.topic_choices(_language()),
    )


@bp.get("/donors")
def donors():
    """Funding programmes: open calls first (soonest deadline first), then closed ones."""
    country = _arg("country", COUNTRIES)
    topics = choices.topic_choices(_language())
    topic = _arg("topic", dict(topics))
    today = directory_access.today()
    open_calls, closed = services.list_donors(_language(), country, today, topic)
    outdated = directories.outdated_donors(current_user, today) \
        if current_user.is_authenticated and current_user.is_coordinator else []
    return render_template("library/donors.html", open_calls=open_calls, closed=closed,
                           country=country, topic=topic, topics=topics, outdated=outdated)


def _page_number() -> int:
    """The ?page= asked for (1 when missing or not a number)."""
    return max(1, request.args.get("page", 1, type=int) or 1)


def _page_of(items: list) -> ListPage:
    """The requested ?page= of a list assembled in Python."""
    per_page = current_app.config["PAGE_SIZE"]
    return paginate_list(items, request.args.get("page", 1, type=int), per_page)


def _arg(name: str, allowed) -> str | None:
    """A filter argument, when it is one of the allowed values."""
    value = request.args.get(name) or None
    return value if value in allowed else None


# Detail pages ------------------------------------------------------------------------------


def _version_language() -> str:
    """The language version asked for (?version=de), else the page language."""
    wanted = request.args.get("version")
    return wanted if wanted in current_app.config["LANGUAGES"] else _language()


@bp.get("/<item_type>/<slug>")
def show_item(item_type: str, slug: str):
    """One item in the best available language, with translations and related items."""
    if item_type == "handbook":
        return redirect(url_for("library.show_handbook", handbook=slug))
    if item_type not in CONTENT_TYPES:
        abort(404)
    item, others, wanted = _item_versions(item_type, slug)
    return render_template(
        "library/item.html", item=item, others=others, wanted=wanted,
        may_translate=translations.can_translate(item, _user()),
        related=services.related_items(item, _language()),
    )


def _item_versions(item_type: str, slug: str) -> tuple:
    """The version to show (404 when none is visible), the other visible versions and the
    languages a published group still lacks ("translation wanted")."""
    versions = services.versions_of(item_type, slug)
    item, others = services.choose_among(versions, _version_language(), _user())
    if item is None:
        abort(404)
    translatable = item.is_published and item.type in translations.TRANSLATABLE_TYPES
    languages = current_app.config["LANGUAGES"]
    return item, others, translations.wanted_languages(versions, languages) if translatable else []


@bp.get("/handbooks/<handbook>")
def show_handbook(handbook: str):
    """A handbook's contents, from its chapters."""
    chapters = services.handbook_chapters(handbook, _version_language(), _user())
    if not chapters:
        abort(404)
    text = (request.args.get("q") or "").strip()[:200]
    found = services.search_handbook(handbook, text, _language(),
                                     autocorrect=request.args.get("spell") != "off") \
        if text else None
    return render_template("library/handbook.html", handbook=handbook, chapters=chapters,
                           title=services.handbook_title(chapters), text=text, found=found)


@bp.get("/handbooks/<handbook>/print")
def print_handbook(handbook: str):
    """The whole handbook on one page, to print: its contents, then every chapter in order."""
    chapters = services.handbook_chapters(handbook, _version_language(), _user())
    if not chapters:
        abort(404)
    services.load_bodies(chapters)
    return render_template("library/handbook_print.html", handbook=handbook,
                           chapters=chapters, title=services.handbook_title(chapters))


@bp.get("/handbooks/<handbook>/<chapter>")
def show_chapter(handbook: str, chapter: str):
    """One handbook chapter with the contents and previous/next links."""
    slug = f"{handbook}/{chapter}"
    item, others, wanted = _item_versions("handbook", slug)
    chapters = services.handbook_chapters(handbook, _version_language(), _user())
    before, after = services.neighbours(chapters, slug)
    return render_template(
        "library/item.html", item=item, others=others, chapters=chapters, wanted=wanted,
        may_translate=translations.can_translate(item, _user()),
        handbook=handbook, handbook_title=services.handbook_title(chapters),
        previous=before, next=after, related=services.related_items(item, _language()),
    )


# Publishing ------------------------------------------------------------------------------

EXTRA_FIELDS = ("format", "embed_url", "duration")  # editor fields stored in item.extra


@bp.get("/my")
@approved_required
def my_items():
    """The member's own items and their states."""
    types = [t for t in (*pub.EDITABLE_TYPES, *DIRECTORY_TYPES) if pub.can_create(t, current_user)]
    return render_template("library/my_items.html", items=_page_of(pub.items_by(current_user)),
                           types=types, form=ConfirmForm())


def _text(field) -> str:
    """A text field's value, stripped ("" when not sent)."""
    return (field.data or "").strip()


def _draft_from(form: ItemForm) -> pub.ItemDraft:
    """The editor's fields as an ItemDraft (a cleared field is stored empty, not kept)."""
    fields = (getattr(form, name, None) for name in EXTRA_FIELDS)
    extra = {field.name: (field.data or "").strip() for field in fields if field is not None}
    extra |= form.directory_extra() | directory_forms.linked_member(form)
    return pub.ItemDraft(
        type=form.item_type, language=form.language.data, title=_text(form.title),
        summary=_text(form.summary), body=form.body.data or "", topics=form.topics.data or [],
        countries=form.countries.data or [], audience=form.audience.data or [],
        organisation=_text(form.organisation),
        evidence=form.evidence.data if form.evidence else None, extra=extra,
        deadline=form.deadline.data if "deadline" in form else None,
    )


def _editor(form: ItemForm, item: ContentItem | None):
    """Render the editor; "Preview" re-renders with the sanitised preview, nothing lost."""
    preview = render_markdown(form.body.data) if "preview" in request.form else None
    return render_template("library/edit.html", form=form, item=item, preview=preview,
                           type_label=choices.TYPE_LABELS[form.item_type],
                           submit_form=ConfirmForm() if _may_submit(item) else None)


def _may_submit(item: ContentItem | None) -> bool:
    """Offer "Submit for review" for a saved draft, and only when the editor shows what is
    saved (a preview or a refused save holds unsaved text the button would not send)."""
    return (item is not None and item.status in pub.SUBMITTABLE_STATES
            and request.method == "GET")


@bp.route("/new/<item_type>", methods=["GET", "POST"])
@approved_required
def new_item(item_type: str):
    """Write a new practice, lesson, training material or video (saved as a private draft)."""
    if not pub.can_create(item_type, current_user):
        abort(404)
    form = ItemForm(item_type, _language(), data={"language": _language()}
                    if request.method == "GET" else None)
    directory_forms.limit_link_field(form, None)
    if ("preview" in request.form or not form.validate_on_submit()
            or not directory_forms.link_is_valid(form)):
        return _editor(form, None)
    item = pub.create_item(current_user, _draft_from(form))
    flash(_("Your draft is saved. Only you and the coordinators can see it."), "success")
    return redirect(url_for("library.edit_item", item_id=item.id))


def _own_item(item_id: int) -> ContentItem:
    """An item the current member may edit (404 otherwise: existence is not revealed)."""
    item = db.session.get(ContentItem, item_id)
    if item is None or not pub.can_edit(item, current_user):
        abort(404)
    return item


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@approved_required
def edit_item(item_id: int):
    """Edit one's own item; an edit of a published item goes back to review."""
    item = _own_item(item_id)
    form = ItemForm(item.type, _language(), obj=item, is_new=False, **_extra_fields(item))
    directory_forms.limit_link_field(form, item)
    if ("preview" in request.form or not form.validate_on_submit()
            or not directory_forms.link_is_valid(form)):
        return _editor(form, item)
    was_published = item.is_published
    pub.update_item(item, current_user, _draft_from(form))
    if was_published:
        pub.notify_reviewers(item, _review_link(item))
        flash(_("Your changes are saved and go to the coordinators for review. Until they "
                "publish them, the item is not public."), "warning")
    else:
        flash(_("Your changes are saved."), "success")
    return redirect(url_for("library.edit_item", item_id=item.id))


def _review_link(item: ContentItem) -> str:
    """The full address of an item's review page, for the coordinators' e-mail."""
    return current_app.config["BASE_URL"] + url_for("library.review_item", item_id=item.id)


def _extra_fields(item: ContentItem) -> dict:
    """Type-specific values stored in `extra`, as form defaults."""
    return {k: v for k, v in (item.extra or {}).items()
            if k in EXTRA_FIELDS or k in DIRECTORY_EXTRA}


@bp.post("/items/<int:item_id>/submit")
@approved_required
def submit_item(item_id: int):
    """Send a draft to the coordinators."""
    item = _own_item(item_id)
    if not ConfirmForm().validate_on_submit() or item.status not in pub.SUBMITTABLE_STATES:
        abort(400)
    pub.submit_for_review(item, current_user, _review_link(item))
    flash(_("Sent for review. You will get an e-mail when a coordinator has looked at it."),
          "success")
    return redirect(url_for("library.my_items"))


@bp.get("/review")
@coordinator_required
def review_queue():
    """Items waiting for this coordinator."""
    return render_template("library/review_queue.html",
                           items=_page_of(pub.review_queue(current_user)))


@bp.route("/review/<int:item_id>", methods=["GET", "POST"])
@coordinator_required
def review_item(item_id: int):
    """Read an item under review, then publish it or return it with a comment."""
    item = db.session.get(ContentItem, item_id)
    if item is None or not pub.can_review(item, current_user) or item.status != "in_review":
        abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_template("library/review_item.html", item=item, form=form)
    link = current_app.config["BASE_URL"]
    if form.action.data == "publish":
        pub.publish_item(item, current_user, link + library_url(item.type, item.slug))
        flash(_("Published. The author has been told."), "success")
    else:
        pub.return_item(item, current_user, form.comment.data,
                        link + url_for("library.edit_item", item_id=item.id))
        flash(_("Returned to the author with your comment."), "success")
    return redirect(url_for("library.review_queue"))


# Translations ----------------------------------------------------------------------------


@bp.route("/items/<int:item_id>/translate/<target_language>", methods=["GET", "POST"])
@approved_required
def translate_item(item_id: int, target_language: str):
    """Translate a published item, the original beside the editor; saved as a private draft
    that joins the item's translation group and then goes through the usual review."""
    original = db.session.get(ContentItem, item_id)
    if (original is None or target_language not in current_app.config["LANGUAGES"]
            or not translations.can_translate(original, current_user)):
        abort(404)
    existing = translations.version_in(original, target_language)
    if existing is not None:
        return _refuse_translation(original, existing, target_language)
    form = _translation_form(original, target_language)
    if "preview" in request.form or not form.validate_on_submit():
        return _translator(form, original, target_language)
    try:
        item = translations.create_translation(original, current_user, _draft_from(form))
    except translations.TranslationExists as refused:
        return _refuse_translation(original, refused.existing, target_language)
    db.session.commit()
    flash(_("Your translation is saved as a draft. Only you and the coordinators can see it."),
          "success")
    return redirect(url_for("library.edit_item", item_id=item.id))


def _translation_form(original: ContentItem, language: str) -> ItemForm:
    """The editor for a translation: empty texts, the original's metadata, one language."""
    data = None
    if request.method == "GET":
        carried = translations.carried_metadata(original)
        data = {name: carried[name] for name in ("topics", "countries", "audience",
                                                 "organisation", "evidence")
                if carried[name] is not None} | _extra_fields(original) | {"language": language}
        data["deadline"] = original.deadline
    # The deadline is the original's (past or not); the member link is carried, not edited.
    form = ItemForm(original.type, _language(), data=data, is_new=False)
    form.language.choices = [c for c in form.language.choices if c.value == language]
    if "member_email" in form:
        delattr(form, "member_email")
    return form


def _translator(form: ItemForm, original: ContentItem, language: str):
    """The translation page; a refused save answers 400 with everything typed kept."""
    preview = render_markdown(form.body.data) if "preview" in request.form else None
    refused = request.method == "POST" and preview is None
    return render_template(
        "library/translate.html", form=form, original=original, target=language,
        preview=preview, type_label=choices.TYPE_LABELS[original.type],
    ), 400 if refused else 200


def _refuse_translation(original: ContentItem, existing: ContentItem | None, language: str):
    """Back to the item, saying why: one version per language and group."""
    name = LANGUAGE_LABELS[language]
    if existing is None or existing.is_published:
        flash(_("This item already exists in %(language)s.", language=name), "warning")
    elif pub.can_edit(existing, current_user):
        flash(_("You are already writing this translation."), "warning")
        return redirect(url_for("library.edit_item", item_id=existing.id))
    else:
        flash(_("A translation into %(language)s is already being written.", language=name),
              "warning")
    return redirect(library_url(original.type, original.slug))


@bp.get("/translations")
@coordinator_required
def translation_overview():
    """Per language: published items by type, and a page of the items it still lacks."""
    languages = current_app.config["LANGUAGES"]
    missing = _arg("missing", languages) or _language()
    return render_template(
        "library/translations.html", coverage=translations.coverage(languages),
        missing=missing, lacking=translations.missing_in(
            missing, _language(), _page_number(), current_app.config["PAGE_SIZE"]))
