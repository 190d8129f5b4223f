"""Year lists."""

from django.db import models  # noqa: F401
