"""Ledger forms. Amounts are lib.forms.MoneyField: what an office types, two places, never negative."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib import concurrency
from lib.coords import System, to_wgs84_decimal
from lib.forms import MoneyField, bounded_text, style
from regions.models import Leader, Region, Township, Unit

from . import baseline
from .models import BASELINE_FIELDS, PlanMonth, Project, TeamMember, YearPlan, clean_national_code

# Fields a unit keeps for its own projects; the office also owns identity, ownership and money.
UNIT_FIELDS = [
    "content",
    "owner",
    "location",
    "team_name",
    "contact_person",
    "contact_phone",
    "funding_sources",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "longitude",
    "latitude",
    "status",
]
OFFICE_FIELDS = [
    "region",
    "code",
    "national_code",
    "name",
    "sector",
    "level",
    "nature",
    "lead_unit",
    "cooperating_units",
    "townships",
    "leader",
    "total_investment",
    *UNIT_FIELDS,
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CoordinateSystemField(forms.ChoiceField):
    """Which map the coordinates were read from; they are stored as WGS-84 (lib.coords)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Coordinates read from"))
        kwargs.setdefault(
            "help_text",
            _("Coordinates copied from AMap (高德) or Baidu (百度) are converted to WGS-84 when saved."),
        )
        choices = [
            (System.WGS84, _("WGS-84 (GPS, Tianditu 天地图)")),
            (System.GCJ02, _("GCJ-02 (AMap 高德, Tencent 腾讯)")),
            (System.BD09, _("BD-09 (Baidu 百度)")),
        ]
        super().__init__(choices=choices, initial=System.WGS84, required=False, **kwargs)

    def clean(self, value: str) -> str:
        return super().clean(value) or System.WGS84


class ProjectForm(forms.ModelForm):
    """A project's fields. Editing, a change of total investment or planned dates is a baseline
    revision (projects/baseline.py): it needs a reason; the office's is recorded approved, a unit's
    is a request (`baseline_changes` says what was typed)."""

    coordinate_system = CoordinateSystemField()

    class Meta:
        formfield_callback = bounded_text
        model = Project
        fields = OFFICE_FIELDS
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "planned_start": DATE,
            "planned_end": DATE,
            "actual_start": DATE,
            "actual_end": DATE,
        }
        field_classes = {"total_investment": MoneyField}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_office:
            # A unit may ask for a new total investment too: its edit of it is a request.
            kept = {*UNIT_FIELDS, "coordinate_system", *(["total_investment"] if self.instance.pk else [])}
            for name in set(self.fields) - kept:
                del self.fields[name]
        else:
            regions = Region.objects.filter(path__startswith=user.region.path, level=Region.Level.COUNTY)
            self.fields["region"].queryset = regions
            units = Unit.objects.for_user(user).filter(is_active=True)
            self.fields["lead_unit"].queryset = units
            self.fields["cooperating_units"].queryset = units
            self.fields["townships"].queryset = Township.objects.filter(region__in=regions)
            self.fields["leader"].queryset = Leader.objects.filter(region__path__startswith=user.region.path)
            if regions.count() == 1:
                self.fields["region"].initial = regions.first()
        for name in ("content", "total_investment"):
            if name in self.fields:
                self.fields[name].required = True
        if not user.is_office and "total_investment" in self.fields:
            self.fields["total_investment"].required = False  # left out or blank: unchanged
        self.baseline_before = baseline.values_of(self.instance) if self.instance.pk else None
        self.baseline_changes: dict = {}
        if self.baseline_before is not None:
            self._add_revision_fields(user)
        # The map the coordinates come from is chosen just before them.
        order = [name for name in self.fields if name != "coordinate_system"]
        order.insert(order.index("longitude"), "coordinate_system")
        self.order_fields(order)
        style(self)

    def _add_revision_fields(self, user: User) -> None:
        """The reason (and, for the office, the approval) of a change to the baseline fields, shown
        after the planned completion."""
        help_text = (
            _("Needed when the total investment or a planned date changes; recorded as an approved revision.")
            if user.is_office
            else _(
                "Needed when the total investment or a planned date changes: the change goes to the office "
                "as a request, and the project keeps its values until the office approves it."
            )
        )
        self.fields["revision_reason"] = forms.CharField(
            label=_("Reason for the revision"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=help_text,
        )
        names = ["revision_reason"]
        if user.is_office:
            self.fields["approval_number"] = forms.CharField(
                label=_("Approval document number"), required=False, max_length=100
            )
            self.fields["approving_authority"] = forms.CharField(
                label=_("Approving authority"), required=False, max_length=100
            )
            names += ["approval_number", "approving_authority"]
        order = [name for name in self.fields if name not in names]
        at = order.index("planned_end") + 1
        self.order_fields([*order[:at], *names, *order[at:]])

    def clean_total_investment(self):
        value = self.cleaned_data.get("total_investment")
        if value is None and self.baseline_before is not None:
            return self.baseline_before["total_investment"]
        return value

    def clean_national_code(self) -> str:
        # Tidied (full-width digits, the 20 digits typed without hyphens) before the model checks it.
        value = self.cleaned_data.get("national_code") or ""
        return clean_national_code(value) if value.strip() else ""

    def clean(self) -> dict:
        data = super().clean()
        pairs = [
            ("planned_start", "planned_end", _("The planned completion cannot be before the planned start.")),
            ("actual_start", "actual_end", _("The actual completion cannot be before the actual start.")),
        ]
        for start, end, message in pairs:
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, message)
        if data.get("actual_end") and not data.get("actual_start"):
            self.add_error("actual_start", _("A completed project needs its actual start date."))
        region = data.get("region") or (self.instance.region if self.instance.pk else None)
        for name in ("lead_unit", "leader"):
            obj = data.get(name)
            if region and obj and obj.region_id != region.pk:
                self.add_error(name, _("It must belong to the project's region."))
        for name in ("cooperating_units", "townships"):
            if region and any(obj.region_id != region.pk for obj in data.get(name) or []):
                self.add_error(name, _("It must belong to the project's region."))
        if self.baseline_before is not None:
            typed = {name: data.get(name) for name in BASELINE_FIELDS if name in self.fields and name in data}
            self.baseline_changes = baseline.changes(self.baseline_before, typed)
            # A stale form (drawn before someone else's save) differs from the row in what the other
            # person changed: the version check shows the conflict box rather than ask for a reason.
            stale = (
                "version" in self.fields
                and concurrency.seen_version(self, self.instance) != self.instance.version
            )
            if self.baseline_changes and not stale and not (data.get("revision_reason") or "").strip():
                self.add_error(
                    "revision_reason",
                    _("Give the reason for changing the total investment or the planned dates."),
                )
        lng, lat = data.get("longitude"), data.get("latitude")
        if (lng is None) != (lat is None):
            self.add_error("latitude", _("Give both longitude and latitude, or neither."))
        elif lng is not None and data.get("coordinate_system", System.WGS84) != System.WGS84:
            data["longitude"], data["latitude"] = to_wgs84_decimal(lng, lat, data["coordinate_system"])
        return data


class YearPlanForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text
        model = YearPlan
        fields = [
            "year",
            "stage",
            "planned_investment",
            "invested_before",
            "planned_start_month",
            "progress_target",
        ]
        widgets = {"progress_target": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"planned_investment": MoneyField, "invested_before": MoneyField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_start_month"].widget = forms.Select(
            choices=[("", "—")] + [(m, _("Month %(m)d") % {"m": m}) for m in range(1, 13)]
        )
        if self.instance.pk:
            self.fields["year"].disabled = True
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("stage") == YearPlan.Stage.NEW and not data.get("planned_start_month"):
            self.add_error("planned_start_month", _("A new start needs its planned start month."))
        project = self.instance.project if self.instance.project_id else None
        if project and data.get("year") and not self.instance.pk:
            if YearPlan.objects.filter(project=project, year=data["year"]).exists():
                self.add_error("year", _("This project already has a plan for that year."))
        return data


class PlanMonthForm(forms.ModelForm):
    class Meta:
        model = PlanMonth
        fields = ["month", "amount"]
        field_classes = {"amount": MoneyField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


PlanMonthFormSet = inlineformset_factory(
    YearPlan, PlanMonth, form=PlanMonthForm, extra=12, max_num=12, can_delete=True
)


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "position", "duty", "phone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class BaseTeamFormSet(BaseInlineFormSet):
    """The special team's rows; a member ticked for deletion is soft-deleted by `by` (who saves),
    kept in the table with who and when (lib.softdelete), never erased."""

    def __init__(self, *args, by: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.by = by

    def delete_existing(self, obj: TeamMember, commit: bool = True) -> None:
        if commit:
            obj.soft_delete(by=self.by)


TeamFormSet = inlineformset_factory(
    Project, TeamMember, form=TeamMemberForm, formset=BaseTeamFormSet, extra=1, can_delete=True
)
