"""Views (placeholder: being built)."""

from app.accounts import bp


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Placeholder."""
    return "TODO"


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Placeholder."""
    return "TODO"


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Placeholder."""
    return "TODO"


@bp.route("/account", methods=["GET", "POST"])
def profile():
    """Placeholder."""
    return "TODO"
