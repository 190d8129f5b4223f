"""Ledger filters: every option list is itself scoped to the user's region."""

from __future__ import annotations

import copy
import functools
import threading
from collections import OrderedDict

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib import statements
from lib.escaping import esc
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


def _attrs(attrs: dict) -> str:
    """django.forms.utils.flatatt's text: the key="value" pairs sorted by key (each value escaped unless
    safe), then the true booleans sorted; False and None left out."""
    pairs = sorted((k, v) for k, v in attrs.items() if v is not None and not isinstance(v, bool))
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join(f' {conditional_escape(k)}="{conditional_escape(v)}"' for k, v in pairs) + "".join(
        f" {conditional_escape(k)}" for k in flags
    )


class QuickSelect(forms.Select):
    """A <select> written out in Python. A province's filter offers thousands of units, townships and
    leaders; Django renders each option through a template (~50 µs each, a quarter of a second a page),
    and even django.utils.html.escape costs five calls an option. Flat choices only (no optgroups).
    tests/test_ledger_quick_select.py holds it equal to Django's Select on every case."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(attrs)}>']
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            mark = ""
            if option in selected:
                mark = " selected"
                if not self.allow_multiple_selected:  # as Django: the first option of the value only
                    selected = ()
            parts.append(f'<option value="{esc(option)}"{mark}>{esc(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value escaped above


class OptionLists:
    """The option lists of a filter form's model selects, read together in one query.

    Django's ModelChoiceIterator reads each list with its own query (on PostgreSQL through a
    server-side cursor: three round trips), and builds a model instance per option; a filter form
    draws four or five lists on every page. Here every list still in the form is read in one
    UNION ALL of (list, position, pk, label) rows, when the first select is drawn (a select not
    drawn — the county office's own county — costs nothing if no other is drawn either). Each list
    keeps its model's ordering (then pk, so ties read the same on every database).

    When every list drawn has a key (naming everything its queryset's SQL depends on: the user's
    region, the chosen county...), the UNION is compiled once per process under those keys
    (lib.statements): building it cost a county's ledger ~6,000 calls a request (docs/benchmarks.md,
    session 7). tests/test_ledger_options_kept.py holds kept == compiled afresh.
    """

    def __init__(self, form: forms.Form) -> None:
        self.form = form
        self.sources: dict[str, tuple[QuerySet, str | None, tuple | None]] = {}
        self._rows: dict[str, list[tuple[object, str]]] | None = None

    def offer(self, name: str, queryset: QuerySet, empty_label: str | None, key: tuple | None = None) -> None:
        """Draw field `name`'s select from `queryset` (and an empty choice, unless None). `key`, if
        given, names everything the queryset's SQL depends on (see the class's docstring)."""
        self.sources[name] = (queryset, empty_label, key)
        self._rows = None
        self.form.fields[name].widget.choices = functools.partial(self.choices, name)

    def key(self, name: str) -> tuple | None:
        return self.sources[name][2] if name in self.sources else None

    def rows(self) -> dict[str, list[tuple[object, str]]]:
        """Each offered list's (pk, label) rows, read once for the request."""
        if self._rows is None:
            self._rows = self._read()
        return self._rows

    def choices(self, name: str) -> list[tuple[object, str]]:
        self.rows()
        empty = self.sources[name][1]
        return ([] if empty is None else [("", empty)]) + self._rows.get(name, [])

    def _read(self) -> dict[str, list[tuple[object, str]]]:
        names = [
            n for n, (qs, _e, _k) in self.sources.items() if n in self.form.fields and not qs.query.is_empty()
        ]
        out: dict[str, list[tuple[object, str]]] = {name: [] for name in names}
        if not names:
            return out
        keys = tuple((name, self.sources[name][2]) for name in names)
        if all(key is not None for _name, key in keys):
            model = self.sources[names[0]][0].model
            found = statements.rows(model, ("filter options", keys), lambda: self._union(names))
        else:
            found = list(self._union(names))
        for i, _at, pk, label in sorted(found):
            out[names[i]].append((pk, label))
        return out

    def _union(self, names: list[str]) -> QuerySet:
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
        return members[0].union(*members[1:], all=True)


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


def small_controls(form: forms.Form) -> None:
    """Every field of a filter form drawn as Bootstrap's small control: a select or an input."""
    for field in form.fields.values():
        small = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs["class"] = small


def quick_widgets(form: forms.Form) -> None:
    """Every <select> of a filter form drawn by QuickSelect (the choices of a model select are offered
    per request, by offer_options)."""
    for field in form.fields.values():
        if not isinstance(field.widget, forms.Select):
            continue
        drawn = field.widget.choices  # as the form drew them (their empty label included)
        field.widget = QuickSelect(attrs=field.widget.attrs)
        if not isinstance(field, forms.ModelChoiceField):
            field.widget.choices = drawn


def offer_options(form: forms.Form, keys: dict[str, tuple] | None = None) -> OptionLists:
    """The model selects' options of a form whose selects quick_widgets made, from one OptionLists
    (`keys`: field name → what its queryset's SQL depends on, see OptionLists)."""
    keys = keys or {}
    options = OptionLists(form)
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, QuickSelect):
            options.offer(name, field.queryset, field.empty_label, keys.get(name))
    form.option_lists = options
    return options


def quick_selects(form: forms.Form, keys: dict[str, tuple] | None = None) -> OptionLists:
    """Every <select> of a filter form written by QuickSelect, the model ones from one OptionLists
    (`keys`: field name → what its queryset's SQL depends on, see OptionLists)."""
    quick_widgets(form)
    return offer_options(form, keys)


class PreparedFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters and form are prepared once per process for each key (the user's
    region), instead of on every request.

    django-filter deep-copies every filter for each request, builds a form class from them, and the
    form deep-copies its fields again; on top of that a filter sets its option querysets, widgets,
    labels and classes. For the ledger's ten fields that was ~8,000 calls a request, more than its
    statements take (docs/benchmarks.md, session 9). Here `prepare(user)` runs once per key on a
    filter set built as django-filter builds it, and the form class is made from the fields it left;
    each request copies the prepared filters (shallowly: they hold no request state) and instantiates
    that form class (which copies its fields as any Django form does), then `per_request(user)` adds
    what depends on the request (the option lists, the chosen county). Nothing read from the database
    is kept: querysets stay lazy, and the options are read on every request (OptionLists).
    tests/test_prepared_filters.py holds a prepared filter set equal to one built afresh."""

    PREPARED_SIZE = 256  # keys kept per process and class
    _prepared: OrderedDict
    _prepared_lock = threading.Lock()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._prepared = OrderedDict()

    def __init__(
        self,
        data: QueryDict | dict | None = None,
        queryset: QuerySet | None = None,
        *,
        user: User,
        request: HttpRequest | None = None,
        prefix: str | None = None,
    ) -> None:
        filters, form_class = self._prepared_for(user)
        self.prepared_as = self.prepared_key(user)  # what the filters and form were prepared for
        # django_filters.FilterSet.__init__, with the prepared filters instead of deep copies.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, prepared in filters.items():
            copied = copy.copy(prepared)
            copied.model, copied.parent = queryset.model, self
            copied.method = prepared.method  # a method filter resolves its method on this parent
            self.filters[name] = copied
        self._form = form_class(self.data, prefix=prefix) if self.is_bound else form_class(prefix=prefix)
        self.per_request(user)

    @classmethod
    def prepared_key(cls, user: User) -> tuple:
        """What `prepare` depends on: the user's region (its path and level)."""
        return (user.region_id, user.region.path, user.region.level)

    def prepare(self, user: User) -> None:
        """Once per key: set the filters' querysets (before reading self.form), then the form's fields."""

    def per_request(self, user: User) -> None:
        """On every request, once the form is made."""

    @classmethod
    def _prepared_for(cls, user: User) -> tuple[dict, type]:
        key = cls.prepared_key(user)
        with cls._prepared_lock:
            found = cls._prepared.get(key)
            if found is not None:
                cls._prepared.move_to_end(key)
        if found is None:
            built = cls.__new__(cls)
            django_filters.FilterSet.__init__(built, None, queryset=cls._meta.model._default_manager.none())
            built.prepare(user)
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), dict(built.form.fields))
            found = (dict(built.filters), form_class)
            with cls._prepared_lock:
                cls._prepared[key] = found
                while len(cls._prepared) > cls.PREPARED_SIZE:
                    cls._prepared.popitem(last=False)
        return found

    @classmethod
    def forget_prepared(cls) -> None:
        """Drop what was prepared (tests)."""
        with cls._prepared_lock:
            cls._prepared.clear()


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
        key = flt.form.option_lists.key(name)
        chosen = flt.form[name].value()
        if region is not None:
            queryset = queryset.filter(region__path__startswith=region.path)
            key = key and (*key, "county", region.path)
        else:
            chosen_pk = int(chosen) if chosen and str(chosen).isdigit() else None
            queryset = queryset.filter(pk=chosen_pk) if chosen_pk else queryset.none()
            key = key and (*key, "chosen", chosen_pk)
            field.empty_label = _("All (choose a county to pick one)")
        flt.form.option_lists.offer(name, queryset, field.empty_label, key)


class LedgerFilter(PreparedFilterSet):
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

    def prepare(self, user: User) -> None:
        path = user.region.path
        regions = Region.objects.filter(path__startswith=path, level=Region.Level.COUNTY)
        self.filters["region"].queryset = regions
        self.filters["unit"].queryset = Unit.objects.for_user(user).select_related(None)
        self.filters["township"].queryset = Township.objects.filter(region__path__startswith=path)
        self.filters["leader"].queryset = Leader.objects.filter(region__path__startswith=path)
        for field in self.form.fields.values():
            if getattr(field, "empty_label", None):
                field.empty_label = _("All")
        quick_widgets(self.form)
        small_controls(self.form)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, code, project code, content or owner")

    def per_request(self, user: User) -> None:
        path = user.region.path
        self.show_region = user.region.level != Region.Level.COUNTY
        # What each option list's SQL depends on (UnitQuerySet.for_user: the user's region's path).
        keys = {
            "region": ("ledger regions", path),
            "sector": ("ledger sectors",),
            "unit": ("ledger units", path),
            "township": ("ledger townships", path),
            "leader": ("ledger leaders", path),
        }
        offer_options(self.form, keys)
        county_first(self, user=user, names=("unit", "township", "leader"))

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
