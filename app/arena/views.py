"""Views (placeholder: being built)."""

from app.arena import bp


@bp.route("/", methods=["GET", "POST"])
def index():
    """Placeholder."""
    return "TODO"
