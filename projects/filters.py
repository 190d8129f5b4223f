"""Ledger filters: every option list is itself scoped to the user's region."""

from __future__ import annotations

import functools

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from regions.models import Region, Township

from .models import Leader, Project, Sector, Unit, YearPlan

SORTS = {
    "code": "project__code",
    "name": "project__name",
    "sector": "project__sector__sort",
    "unit": "project__lead_unit__name",
    "total": "project__total_investment",
    "plan": "planned_investment",
    "start": "planned_start_month",
    "ytd": "ytd",
    "rate": "rate",
}
LIGHTS = [("green", _("Green")), ("yellow", _("Yellow")), ("red", _("Red"))]


class QuickSelect(forms.Select):
    """A <select> written out in Python. A province's filter offers thousands of units, townships and
    leaders; Django renders each option through a template (~50 µs each, a quarter of a second a page)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            mark = " selected" if option in selected else ""
            parts.append(f'<option value="{escape(option)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))


class OptionLists:
    """The option lists of a filter form's model selects, read together in one query.

    Django's ModelChoiceIterator reads each list with its own query (on PostgreSQL through a
    server-side cursor: three round trips), and builds a model instance per option; a filter form
    draws four or five lists on every page. Here every list still in the form is read in one
    UNION ALL of (list, position, pk, label) rows, when the first select is drawn (a select not
    drawn — the county office's own county — costs nothing if no other is drawn either). Each list
    keeps its model's ordering (then pk, so ties read the same on every database).
    """

    def __init__(self, form: forms.Form) -> None:
        self.form = form
        self.sources: dict[str, tuple[QuerySet, str | None]] = {}
        self._rows: dict[str, list[tuple[object, str]]] | None = None

    def offer(self, name: str, queryset: QuerySet, empty_label: str | None) -> None:
        """Draw field `name`'s select from `queryset` (and an empty choice, unless None)."""
        self.sources[name] = (queryset, empty_label)
        self._rows = None
        self.form.fields[name].widget.choices = functools.partial(self.choices, name)

    def choices(self, name: str) -> list[tuple[object, str]]:
        if self._rows is None:
            self._rows = self._read()
        empty = self.sources[name][1]
        return ([] if empty is None else [("", empty)]) + self._rows.get(name, [])

    def _read(self) -> dict[str, list[tuple[object, str]]]:
        names = [
            n for n, (qs, _e) in self.sources.items() if n in self.form.fields and not qs.query.is_empty()
        ]
        members = []
        for i, name in enumerate(names):
            queryset = self.sources[name][0]
            label = "title" if queryset.model is Leader else "name"
            position = Window(RowNumber(), order_by=_ordering(queryset))
            members.append(
                queryset.annotate(_list=Value(i), _at=position)
                .order_by()
                .values_list("_list", "_at", "pk", label)
            )
        out: dict[str, list[tuple[object, str]]] = {name: [] for name in names}
        if not members:
            return out
        for i, _at, pk, label in sorted(members[0].union(*members[1:], all=True)):
            out[names[i]].append((pk, label))
        return out


def _ordering(queryset: QuerySet) -> list:
    """The queryset's ordering as expressions, a foreign key spelled out as its model's ordering
    (Unit orders by region, i.e. by the region's path), then pk."""
    meta = queryset.model._meta
    out = []
    for name in list(queryset.query.order_by or meta.ordering):
        descending, name = name.startswith("-"), name.lstrip("-")
        field = meta.get_field(name)
        parts = (
            [f"{name}__{sub}" for sub in field.related_model._meta.ordering] if field.is_relation else [name]
        )
        out += [F(part).desc() if descending else F(part).asc() for part in parts]
    return [*out, F("pk").asc()]


def quick_selects(form: forms.Form) -> OptionLists:
    """Every <select> of a filter form written by QuickSelect, the model ones from one OptionLists."""
    options = OptionLists(form)
    for name, field in form.fields.items():
        if not isinstance(field.widget, forms.Select):
            continue
        drawn = field.widget.choices  # as the form drew them (their empty label included)
        field.widget = QuickSelect(attrs=field.widget.attrs)
        if isinstance(field, forms.ModelChoiceField):
            options.offer(name, field.queryset, field.empty_label)
        else:
            field.widget.choices = drawn
    form.option_lists = options
    return options


def county_first(
    flt: django_filters.FilterSet, *, user, names: tuple[str, ...], region_field: str = "region"
) -> None:
    """Above county level, offer units, townships and leaders only once a county is chosen.

    A province has thousands of each: drawing them all makes every filter page heavy and a list
    of 3,500 names is no use to pick from. The fields still accept any value in the user's scope
    (a drill-down link may name one); only the options drawn are narrowed to the chosen county,
    plus the value already chosen. Choosing a county reloads the form (htmx) with its options.
    """
    flt.county_first = user.region.level != Region.Level.COUNTY
    if not flt.county_first:
        return
    county = flt.form[region_field].value() if region_field in flt.form.fields else None
    region = None
    if county and str(county).isdigit():
        region = Region.objects.filter(pk=int(county), path__startswith=user.region.path).first()
    for name in names:
        field = flt.form.fields[name]
        queryset = field.queryset
        chosen = flt.form[name].value()
        if region is not None:
            queryset = queryset.filter(region__path__startswith=region.path)
        else:
            chosen_pk = int(chosen) if chosen and str(chosen).isdigit() else None
            queryset = queryset.filter(pk=chosen_pk) if chosen_pk else queryset.none()
            field.empty_label = _("All (choose a county to pick one)")
        flt.form.option_lists.offer(name, queryset, field.empty_label)


class LedgerFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("County or district"), queryset=Region.objects.none(), method="filter_region"
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="project__sector", queryset=Sector.objects.all()
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.none(), method="filter_unit"
    )
    # "lead": only the projects the unit leads, as the dashboard's unit ranking counts them (its
    # drill-down links use it); by default the unit's cooperating projects are listed too.
    unit_role = django_filters.ChoiceFilter(
        label=_("Unit's role"),
        choices=[("lead", _("Lead only"))],
        method="filter_unit_role",
        empty_label=_("Lead or cooperating"),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        field_name="project__townships",
        queryset=Township.objects.none(),
        distinct=False,
        method="filter_township",
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("Leader in charge"), field_name="project__leader", queryset=Leader.objects.none()
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=YearPlan.Stage.choices, empty_label=_("All")
    )
    started = django_filters.ChoiceFilter(
        label=_("Started"),
        choices=[("yes", _("Started")), ("no", _("Not started"))],
        method="filter_started",
        empty_label=_("All"),
    )
    light = django_filters.ChoiceFilter(
        label=_("Light"), choices=LIGHTS, method="filter_light", empty_label=_("All")
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")

    class Meta:
        model = YearPlan
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(path__startswith=user.region.path, level=Region.Level.COUNTY)
        self.filters["region"].queryset = regions
        self.filters["unit"].queryset = Unit.objects.for_user(user).select_related(None)
        self.filters["township"].queryset = Township.objects.filter(region__path__startswith=user.region.path)
        self.filters["leader"].queryset = Leader.objects.filter(region__path__startswith=user.region.path)
        self.show_region = user.region.level != Region.Level.COUNTY
        for field in self.form.fields.values():
            if getattr(field, "empty_label", None):
                field.empty_label = _("All")
        quick_selects(self.form)
        county_first(self, user=user, names=("unit", "township", "leader"))
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, code, project code, content or owner")

    def filter_region(self, qs: QuerySet, name: str, value: Region) -> QuerySet:
        return qs.filter(project__region__path__startswith=value.path)

    def filter_unit(self, qs: QuerySet, name: str, value: Unit) -> QuerySet:
        if self.form.cleaned_data.get("unit_role") == "lead":
            return qs.filter(project__lead_unit=value)
        cooperating = Project.cooperating_units.through.objects.filter(
            project_id=OuterRef("project_id"), unit=value
        )
        return qs.filter(Q(project__lead_unit=value) | Exists(cooperating))

    def filter_unit_role(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs  # read by filter_unit; on its own it selects nothing

    def filter_township(self, qs: QuerySet, name: str, value: Township) -> QuerySet:
        built = Project.townships.through.objects.filter(project_id=OuterRef("project_id"), township=value)
        return qs.filter(Exists(built))

    # The queryset comes with the month's figures (reports/figures.py MonthPlans): started and the
    # light are its rules, so a drill-down lists exactly the projects a dashboard figure counts.
    def filter_started(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.started() if value == "yes" else qs.not_started()

    def filter_light(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.with_light(value)

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
            | Q(project__national_code__icontains=value)
            | Q(project__content__icontains=value)
            | Q(project__owner__icontains=value)
        )
