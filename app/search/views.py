"""Views (placeholder: being built)."""

from app.search import bp


@bp.route("/", methods=["GET", "POST"])
def results():
    """Placeholder."""
    return "TODO"


@bp.route("/suggest", methods=["GET", "POST"])
def suggest():
    """Placeholder."""
    return "TODO"
