"""The office's form for issuing an API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import BUSINESS_ROLES, User
from projects.forms import style


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Which system uses it, e.g. the provincial platform."),
    )
    user = forms.ModelChoiceField(
        label=_("Acts as user"),
        queryset=User.objects.none(),
        help_text=_("The token reads and writes exactly what this user may, nothing more."),
    )

    def __init__(self, *args, office: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(
                region__path__startswith=office.region.path, is_active=True, role__in=BUSINESS_ROLES
            )
            .select_related("unit", "leader")
            .order_by("role", "username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.username} · {u.get_role_display()}" + (f" · {u.unit.name}" if u.unit_id else "")
        )
        style(self)
