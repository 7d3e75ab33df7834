"""ARENA services: typed functions that never touch the request (views, CLI, tests share them)."""
