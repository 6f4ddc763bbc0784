"""Placeholder until its section lands."""


def add_routes(app) -> None:
    return None
