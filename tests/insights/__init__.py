"""Tests of the public trends pages and their charts (issue 13)."""
