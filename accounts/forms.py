from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import PASSWORD_MAX_LENGTH, style
from regions.models import Leader, Region, Township, Unit

from .addresses import client_ip
from .models import BUSINESS_ROLES, User
from .throttle import login_retry_at


class LoginForm(AuthenticationForm):
    # Django's fields with a length limit each (a 256-character name or a megabyte of password is
    # refused by the form, before any query or hashing).
    username = UsernameField(max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        self.retry_at = None

    def clean(self):
        # Before authenticate(): a delayed attempt is refused unread and is not counted as a failure.
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            self.retry_at = login_retry_at(username=username, address=client_ip(self.request))
            if self.retry_at is not None:
                raise ValidationError(
                    _("Too many failed sign-ins for this account. Try again after %(time)s."),
                    code="throttled",
                    params={"time": timezone.localtime(self.retry_at).strftime("%H:%M:%S")},
                )
        return super().clean()


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        required=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "role", "region", "unit", "leader", "phone", "email", "is_active"]
        labels = {"first_name": _("Full name")}

    def __init__(self, *args, office: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(path__startswith=office.region.path)
        self.fields["region"].queryset = regions
        self.fields["region"].required = True
        self.fields["unit"].queryset = Unit.objects.for_user(office)
        self.fields["leader"].queryset = Leader.objects.filter(region__in=regions)
        # The business roles only: an administrator role is granted by `manage.py create_admins`
        # alone (accounts.duties), so no page can make anyone an administrator.
        self.fields["role"].choices = [
            (value, label) for value, label in User.Role.choices if value in BUSINESS_ROLES
        ]
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = password_validation.password_validators_help_text_html()
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password")
        if password:
            probe = self.instance
            probe.username = data.get("username", probe.username)
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
            # An administrator knows this password: the user chooses their own at the next sign-in.
            user.must_change_password = True
        if user.role != User.Role.UNIT:
            user.unit = None
        if user.role != User.Role.LEADER:
            user.leader = None
        if commit:
            user.save()
        return user


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "kind",
            "region",
            "township",
            "contact_person",
            "contact_phone",
            "email",
            "is_active",
        ]

    def __init__(self, *args, office: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(path__startswith=office.region.path)
        self.fields["region"].queryset = regions
        self.fields["township"].queryset = Township.objects.filter(region__in=regions)
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        township = data.get("township")
        if township and data.get("region") and township.region_id != data["region"].pk:
            self.add_error("township", _("The township must lie in the unit's region."))
        if data.get("kind") == Unit.Kind.TOWNSHIP and not township:
            self.add_error("township", _("A township government must name its township."))
        return data
