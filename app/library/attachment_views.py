"""Files attached to library items: the files page of an item (upload, delete), downloads
with ranges for the video player, and captions made from a video's transcript."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.accounts.access import approved_required
from app.extensions import db
from app.library import attachments, bp
from app.library import publishing as pub
from app.library.file_checks import FileRefused
from app.library.forms import AttachmentForm, ConfirmForm
from app.library.models import Attachment, ContentItem
from app.library.services import can_view
from app.library.views import _own_item, _review_link
from app.main.errors import render_error

UPLOAD_ENDPOINT = "library.upload_attachment"
DOWNLOAD_PARAMETER = "download"  # ?download=1: the download link (counted, as attachment)
KIND_LABELS = {
    "document": _l("Document"),
    "slides": _l("Slides"),
    "audio": _l("Audio"),
    "video": _l("Video"),
    "image": _l("Picture"),
    "captions": _l("Captions"),
}
# What the file picker offers first (the content check decides; this only helps choosing).
ACCEPTED_FILES = (
    ".pdf,.docx,.pptx,.odt,.odp,.jpg,.jpeg,.png,.webp,.gif,.mp3,.ogg,.oga,.opus,.m4a,.mp4,"
    ".m4v,.webm,.vtt"
)
FORM_ALLOWANCE = 64 * 1024  # the multipart envelope and the title around the file


def _megabytes(name: str) -> int:
    """A size setting in MB, in bytes."""
    return current_app.config[name] * 1024 * 1024


def _editable_or_none(item_id: object) -> ContentItem | None:
    """The item, when the visitor may edit it (no abort: also used by an error handler)."""
    item = db.session.get(ContentItem, item_id) if isinstance(item_id, int) else None
    if item is None or not current_user.is_authenticated:
        return None
    return item if pub.can_edit(item, current_user) else None


@bp.url_value_preprocessor
def allow_large_uploads(endpoint: str | None, values: dict | None) -> None:
    """The upload route accepts ATTACHMENT_MAX_MB, and only from the item's editor (anyone
    else keeps MAX_CONTENT_LENGTH). Set here, before any before_request hook (CSRF) reads
    the body: a larger body is refused while it is read, before it fills the disk."""
    if endpoint == UPLOAD_ENDPOINT and _editable_or_none((values or {}).get("item_id")):
        request.max_content_length = _megabytes("ATTACHMENT_MAX_MB") + FORM_ALLOWANCE


def _files_page(item, form: AttachmentForm, status: int = 200):
    """The item's files page: the list, delete buttons and the upload form."""
    limits = attachments.limits_in_bytes(current_app.config["ATTACHMENT_LIMITS_MB"])
    return render_template(
        "library/files.html",
        item=item,
        form=form,
        delete_form=ConfirmForm(formdata=None),
        files=attachments.attachments_of(item),
        limits=limits,
        limits_text=_limits_text(current_app.config["ATTACHMENT_LIMITS_MB"]),
        accepted_files=ACCEPTED_FILES,
        max_bytes=_megabytes("ATTACHMENT_MAX_MB"),
    ), status


def _limits_text(limits_mb: dict[str, int]) -> str:
    """The largest size of each kind, for the upload hint: "Document: 25 MB, …"."""
    return ", ".join(
        _("%(kind)s: %(megabytes)s MB", kind=label, megabytes=limits_mb[kind])
        for kind, label in KIND_LABELS.items()
        if kind in limits_mb
    )


@bp.get("/items/<int:item_id>/files")
@approved_required
def item_files(item_id: int):
    """The files of one's own item."""
    return _files_page(_own_item(item_id), AttachmentForm())


@bp.post("/items/<int:item_id>/files")
@approved_required
def upload_attachment(item_id: int):
    """Upload a file; a refused file re-renders the page with the reason and the title kept."""
    item = _own_item(item_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _files_page(item, form, 400)
    was_published = item.is_published
    upload = form.file.data
    try:
        attachments.add_attachment(
            item,
            current_user,
            upload.stream,
            upload.filename or "",
            form.title.data or "",
            current_app.config["ATTACHMENT_LIMITS_MB"],
        )
    except FileRefused as refused:
        form.file.errors = [*form.file.errors, refused.message]
        return _files_page(item, form, 400)
    _commit_upload(item, was_published)
    return redirect(url_for("library.item_files", item_id=item.id))


def _commit_upload(item: ContentItem, was_published: bool) -> None:
    """Save the new file; on a published item it goes to review with the item, as an edit."""
    if not was_published:
        db.session.commit()
        flash(_("The file is uploaded."), "success")
        return
    pub.send_back_to_review(item)
    pub.notify_reviewers(item, _review_link(item))
    flash(_("The file is uploaded and goes to the coordinators for review with the item. Until "
            "they publish it again, the item is not public."), "warning")


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """Too large for the upload route: the files page saying so (other routes: the usual
    error page). The body was not read, so there is nothing typed to keep."""
    item = None
    if request.endpoint == UPLOAD_ENDPOINT:
        item = _editable_or_none((request.view_args or {}).get("item_id"))
    if item is None:
        return render_error(error)
    form = AttachmentForm(formdata=None)
    form.file.errors = [
        _(
            "This file is too large. Files can have at most %(megabytes)s MB.",
            megabytes=current_app.config["ATTACHMENT_MAX_MB"],
        )
    ]
    return _files_page(item, form, 413)


@bp.post("/files/<int:attachment_id>/delete")
@approved_required
def delete_attachment(attachment_id: int):
    """Delete a file of one's own item (after the browser's confirmation)."""
    attachment = db.session.get(Attachment, attachment_id) or abort(404)
    item = _own_item(attachment.item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attachments.delete_attachment(attachment)
    db.session.commit()
    flash(_("The file is deleted."), "success")
    return redirect(url_for("library.item_files", item_id=item.id))


def _visible_attachment(attachment_id: int) -> Attachment:
    """A file of an item the visitor may see (404 otherwise: drafts' files stay private)."""
    attachment = db.session.get(Attachment, attachment_id)
    user = current_user if current_user.is_authenticated else None
    if attachment is None or not can_view(attachment.item, user):
        abort(404)
    return attachment


def _is_first_request_of_download() -> bool:
    """A GET of the whole file or of a range from byte 0 (a player's first request); not
    HEAD, not a seek."""
    if request.method != "GET":
        return False
    ranges = request.range.ranges if request.range else [(0, None)]
    return ranges[0][0] == 0


def _file_response(attachment: Attachment) -> Response:
    """The stored blob with its type, ETag and ranges (404 when the blob is missing)."""
    try:
        blob = attachments.open_blob(attachment)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        blob,
        mimetype=attachment.mime_type,
        etag=attachment.sha256,
        last_modified=attachment.created_at,
        conditional=False,
    )
    response.content_length = attachment.size
    try:
        return response.make_conditional(
            request.environ, accept_ranges=True, complete_length=attachment.size
        )
    except HTTPException:  # 416: a range outside the file
        blob.close()
        raise


@bp.get("/files/<int:attachment_id>/<name>")
def download_attachment(attachment_id: int, name: str):
    """The file with its real type (media and captions inline for the players, unless the
    download link asked); ranges for seeking. Only the download link's requests are counted:
    a page showing a picture or a player is a view, not a download."""
    attachment = _visible_attachment(attachment_id)
    response = _file_response(attachment)
    download = DOWNLOAD_PARAMETER in request.args  # the download link, not a player
    inline = attachment.kind in attachments.INLINE_KINDS and not download
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(attachment.file_name, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if download and response.status_code in (200, 206) and _is_first_request_of_download():
        attachments.count_download(attachment.id)  # a statistic, like a request log
        db.session.commit()
    return response


@bp.get("/videos/<int:attachment_id>/captions.vtt")
def video_captions(attachment_id: int):
    """WebVTT captions made from the item's transcript, timed over the video."""
    video = _visible_attachment(attachment_id)
    if not attachments.has_generated_captions(video):
        abort(404)
    return Response(
        attachments.generated_captions(video),
        mimetype="text/vtt",
        headers={"X-Content-Type-Options": "nosniff"},
    )


@bp.context_processor
def attachment_labels() -> dict:
    """The kinds' names for the library templates."""
    return {"ATTACHMENT_KIND_LABELS": KIND_LABELS}


@bp.app_template_global()
def attachment_has_captions(video: Attachment) -> bool:
    """Whether the player gets captions made from the transcript."""
    return attachments.has_generated_captions(video)


@bp.app_template_global()
def item_attachments(item) -> list[Attachment]:
    """The files of an item, for its page (the item is already visible to the reader)."""
    return attachments.attachments_of(item)


@bp.app_template_filter()
def file_size(size: int) -> str:
    """A size in human units in the page language ("2.5 MB", "2,5 MB")."""
    return attachments.human_size(size, g.get("lang_code") or "en")
