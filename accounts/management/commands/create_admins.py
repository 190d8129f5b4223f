"""`manage.py create_admins --region CODE`: the three administrators (三员分立) of an installation.

The only way an administrator role is granted (no page can: accounts.duties). Creates the accounts
`sysadmin`, `secadmin` and `auditor` (or the names given) in the region, each with a temporary
password printed once, to be replaced at the first sign-in, and two-factor enrolment asked at that
sign-in where KEYPROJ_2FA_ROLES says so. An account that exists already is left as it is, unless
`--reset NAME` is given: then that administrator gets a new temporary password and a new
authenticator (a lost password or phone).
"""

from __future__ import annotations

import secrets
import string

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts import otp
from accounts.models import ADMINISTRATOR_ROLES, SecurityEvent, User
from accounts.security import security_event_record
from regions.models import Region

ORDER = [User.Role.SYSADMIN, User.Role.SECADMIN, User.Role.AUDITOR]


def temporary_password() -> str:
    """16 characters with upper and lower case letters and digits (the password rules' 3 classes)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(16))
        if (
            any(c.islower() for c in value)
            and any(c.isupper() for c in value)
            and any(c.isdigit() for c in value)
        ):
            return value


class Command(BaseCommand):
    help = "Create the system administrator, the security administrator and the security auditor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="division code of the installation's region")
        parser.add_argument("--sysadmin", default="sysadmin", help="username of the system administrator")
        parser.add_argument("--secadmin", default="secadmin", help="username of the security administrator")
        parser.add_argument("--auditor", default="auditor", help="username of the security auditor")
        parser.add_argument(
            "--reset", metavar="NAME", help="give this administrator a new temporary password"
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"no region has the code {options['region']!r}")
        names = {role: options[role.value] for role in ORDER}
        if len(set(names.values())) != len(names):
            raise CommandError("the three administrators need three different usernames")
        if options["reset"]:
            self._reset(options["reset"])
            return
        for role, username in names.items():
            existing = User.objects.filter(username=username).first()
            if existing is not None:
                if existing.role != role:
                    raise CommandError(f"{username} exists with the role {existing.role}, not {role}")
                self.stdout.write(f"{username}: exists, left as it is")
                continue
            password = temporary_password()
            user = User(username=username, role=role, region=region, first_name=str(role.label))
            user.set_password(password)
            user.must_change_password = True
            user.full_clean()
            user.save()
            security_event_record(kind=SecurityEvent.Kind.PASSWORD_SET, request=None, user=user)
            self.stdout.write(f"{username}: created ({role.label}), temporary password {password}")

    def _reset(self, username: str) -> None:
        user = User.objects.filter(username=username, role__in=ADMINISTRATOR_ROLES).first()
        if user is None:
            raise CommandError(f"{username} is not an administrator's account")
        password = temporary_password()
        user.set_password(password)
        user.must_change_password = True
        user.is_active = True
        user.save()
        otp.reset(user)
        security_event_record(kind=SecurityEvent.Kind.PASSWORD_SET, request=None, user=user)
        self.stdout.write(f"{username}: new temporary password {password}; two-factor enrolment asked again")
