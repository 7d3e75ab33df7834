"""Views (placeholder: being built)."""

from app.admin import bp


@bp.route("/members", methods=["GET", "POST"])
def members():
    """Placeholder."""
    return "TODO"
