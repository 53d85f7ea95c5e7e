"""Schedules, permissions and menu items of the backup part of ops, registered at start (OpsConfig.ready)."""


def register() -> None:
    pass
