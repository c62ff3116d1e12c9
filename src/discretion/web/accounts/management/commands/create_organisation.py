"""Create an organisation and its first admin: `discretion manage create_organisation NAME USERNAME`."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from discretion.web.accounts.models import Membership, Organisation, Role


class Command(BaseCommand):
    help = "Create an organisation and its first admin (an attorney who is organisation admin)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("username")
        parser.add_argument("--role", default=Role.ATTORNEY, choices=Role.values)
        parser.add_argument("--email", default="")

    def handle(self, *args, name, username, role, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"username {username!r} is taken")
        slug = slugify(name)[:50] or "organisation"
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"an organisation called {name!r} exists already")
        # DISCRETION_ADMIN_PASSWORD lets a provisioning script run this without a terminal.
        password = os.environ.get("DISCRETION_ADMIN_PASSWORD") or getpass.getpass(
            f"Password for {username}: "
        )
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            org = Organisation.objects.create(name=name, slug=slug)
            user = User.objects.create_user(username=username, email=email, password=password, is_staff=True)
            Membership.objects.create(user=user, organisation=org, role=role, is_org_admin=True)
        self.stdout.write(f"Created {org} with admin {username}.")
