"""Load and faults against a production server (issue 15): `python3 manage.py loadtest`.

Not a test suite: no module here is named test_*.py, so bare `pytest` never collects it.
"""
