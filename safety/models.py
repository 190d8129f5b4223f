"""Quality and safety (质量安全): inspections, hazards and their rectification, accidents."""

from django.db import models  # noqa: F401
