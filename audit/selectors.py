"""Reading the audit log: the office's scope, the page's filters, and each line as shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.views import sees_unknown_names
from lib.forms import DayField, style

from .models import AuditEntry

REPORT = "reports.monthlyreport"
# Which audited objects open a page, and where (the page checks the reader's scope again).
LINKS = {
    "projects.project": lambda e: reverse("projects:detail", args=[e.object_id]),
    "meetings.meeting": lambda e: reverse("meetings:detail", args=[e.object_id]),
    "accounts.user": lambda e: reverse("accounts:user_edit", args=[e.object_id]),
    "regions.unit": lambda e: reverse("accounts:unit_edit", args=[e.object_id]),
    "blockers.blocker": lambda e: reverse("blockers:detail", args=[e.object_id]),
    "supervision.supervisiontask": lambda e: reverse("supervision:task", args=[e.object_id]),
}


def entries_for(office: User) -> QuerySet[AuditEntry]:
    """The audit log an office reads: changes to objects in its region's subtree (and, for the top
    offices, to objects of no region)."""
    scope = Q(region__path__startswith=office.region.path)
    if sees_unknown_names(office):
        scope |= Q(region__isnull=True)
    return AuditEntry.objects.filter(scope)


def model_choices() -> list[tuple[str, str]]:
    """The object types the audit log records: every model with history, and the objects whose
    timelines are entered (reports, blockers, tasks)."""
    labels = {REPORT, "blockers.blocker", "supervision.supervisiontask"}
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        if instance_type is not None and hasattr(model, "history_date"):
            labels.add(instance_type._meta.label_lower)
    return sorted(((label, type_name(label)) for label in labels), key=lambda c: c[1])


def type_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=gettext_lazy("Changed by"),
        empty_label=gettext_lazy("All"),
    )
    model = forms.ChoiceField(required=False, label=gettext_lazy("Object type"))
    start = DayField(
        required=False, label=gettext_lazy("Date from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DayField(
        required=False, label=gettext_lazy("Date to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(required=False, max_length=100, label=gettext_lazy("Text"))

    def __init__(self, *args, office: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            region__path__startswith=office.region.path
        ).order_by("username")
        self.fields["model"].choices = [("", _("All"))] + model_choices()
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        return data


def filtered(entries: QuerySet[AuditEntry], data: dict) -> QuerySet[AuditEntry]:
    """The entries the page's valid filters ask for (a field with an error filters nothing)."""
    if data.get("user"):
        entries = entries.filter(by=data["user"])
    if data.get("model"):
        entries = entries.filter(model=data["model"])
    zone = timezone.get_current_timezone()
    if data.get("start"):
        entries = entries.filter(at__gte=dt.datetime.combine(data["start"], dt.time.min, tzinfo=zone))
    if data.get("end"):
        entries = entries.filter(
            at__lt=dt.datetime.combine(data["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        )
    if data.get("q"):
        entries = entries.filter(text__contains=data["q"].strip().lower())
    return entries.select_related("by").order_by("-at", "-pk")


@dataclass
class Line:
    entry: AuditEntry
    type_name: str
    url: str | None
    changes: list[tuple[str, str, str]]


def _field_label(label: str, name: str) -> str:
    if name in ("reason", "text"):
        return _("reason") if name == "reason" else _("text")
    try:
        return str(apps.get_model(label)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def lines(entries) -> list[Line]:
    """Each entry as the page and the export show it (no query: labels come from the models)."""
    shown = []
    for entry in entries:
        link = LINKS.get(entry.model)
        url = None
        if link is not None and entry.action != AuditEntry.Action.DELETED:
            try:
                url = link(entry)
            except NoReverseMatch:
                url = None
        changes = [(_field_label(entry.model, c["field"]), c["old"], c["new"]) for c in entry.changes]
        shown.append(Line(entry=entry, type_name=type_name(entry.model), url=url, changes=changes))
    return shown
