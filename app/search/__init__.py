"""Search: the one interface over the index, its views and its CLI.

The package itself stays import-light (analysis and the taxonomy use it without pulling in the
library's views); create_app imports `app.search.views` to attach the routes.
"""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
