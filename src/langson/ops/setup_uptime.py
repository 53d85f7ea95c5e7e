"""Schedules, permissions and menu items of the uptime part of ops, registered at start (OpsConfig.ready)."""


def register() -> None:
    pass
