"""ARENA services: typed functions that never touch the request (views, CLI and tests share them)."""
