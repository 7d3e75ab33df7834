"""The portal as gunicorn serves it for the page benchmark, plus a hello-world route to compare
with (here, never in the production app)."""

from app import create_app

app = create_app()


@app.get("/hello")
def hello() -> str:
    """The cheapest page the same app and server can answer: the benchmark's yardstick."""
    return "Hello, World!"
