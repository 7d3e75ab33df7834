"""Views (placeholder: being built)."""

from app.alerts import bp


@bp.route("/", methods=["GET", "POST"])
def new_alert():
    """Placeholder."""
    return "TODO"


@bp.route("/follow-up", methods=["GET", "POST"])
def follow_up():
    """Placeholder."""
    return "TODO"
