"""Views (placeholder: being built)."""

from app.library import bp


@bp.route("/", methods=["GET", "POST"])
def index():
    """Placeholder."""
    return "TODO"
