"""Approvals and land."""

from django.db import models  # noqa: F401
