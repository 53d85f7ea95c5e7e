"""`langson <verb>`: one command line, a thin front over Django's management commands.

Every change made from here is audited with channel "cli" and the operating-system user as actor.
"""

from __future__ import annotations

import getpass
import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langson.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from langson.core.services import audit

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = str(os.getuid())
    with audit.acting(audit.AuditContext(channel="cli", actor_label=f"cli:{who}")):
        execute_from_command_line(["langson", *argv[1:]])


if __name__ == "__main__":
    main()
