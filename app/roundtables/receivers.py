"""How roundtables react to the rest of the portal (signals), and the sentences of their
notifications."""

from __future__ import annotations
