"""Search: the one interface over the index, its views and its CLI."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.record_once
def _init(state) -> None:
    """Create the app's search backend when the blueprint is registered."""
    from app.search.services import init_search

    init_search(state.app)


from app.search import views  # noqa: E402,F401 - routes attach to bp
