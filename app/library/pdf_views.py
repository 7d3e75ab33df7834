"""The handbook as a PDF download (rendered once per content version, then from the storage)."""

from __future__ import annotations

import re

from flask import Response, abort

from app.library import bp, services
from app.library.handbook_pdf import handbook_pdf
from app.library.views import _version_language

UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@bp.get("/handbooks/<handbook>/pdf")
def download_handbook_pdf(handbook: str):
    """The whole handbook as a PDF: published chapters only, in the page language where there
    is a version in it (the PDF is shared by every reader, so nobody's drafts go in)."""
    language = _version_language()
    chapters = services.handbook_chapters(handbook, language, None)
    if not chapters:
        abort(404)
    services.load_bodies(chapters)
    name = UNSAFE_IN_FILE_NAME.sub("-", handbook)
    return Response(
        handbook_pdf(handbook, chapters, language),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}-{language}.pdf"'},
    )
