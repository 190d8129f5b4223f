"""Parts of the battle map pages written in Python rather than by the template engine.

Each is the markup of a template kept beside it, which a test holds equal on every case:
- the dashboard's short lists (lagging, not started): templates/battlemap/_project_list.html,
  tests/test_dashboard_list_html.py (30 rows cost the engine more Python than the lists' reads);
- the period form (year and month) of the dashboard, wall chart and map:
  templates/battlemap/_period.html, tests/test_period_form_html.py (twelve translated months a page);
- the dashboard's ranking cards (units, townships) with the groups listed apart:
  templates/battlemap/_ranking_cards.html and _apart.html, tests/test_ranking_cards_html.py (their
  branches, translations and include cost the engine about 1,500 calls a page);
- the dashboard's warnings by kind: templates/battlemap/_warning_counts.html,
  tests/test_warning_counts_html.py (a kind's link reversed by {% url %} in a loop);
- the dashboard's headline cards: templates/battlemap/_headline.html, tests/test_headline_html.py
  (twenty translations and filters);
- the charts' data islands of the dashboard and the big screen: Django's json_script filter,
  tests/test_dashboard_json_script.py (see json_script_html).
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projects.templatetags.kp import gap_class, pct, points, wan

from .wallchart import escape


def project_list_html(items: list[dict], *, empty: str, start: bool = False) -> SafeString:
    """The rows of battlemap.selectors' short list `items` (its "items"), as _project_list.html
    draws them; `start`: the planned start month column instead of the rate; `empty`: the words
    shown when there is no row."""
    if not items:
        return mark_safe(f'\n<p class="text-secondary mb-0">{escape(empty)}</p>\n')  # noqa: S308 — escaped
    if start:
        column = f'<th class="num">{escape(_("Planned start"))}</th>'
    else:
        column = f'<th class="num">{escape(_("Rate"))}</th>'
    out = [
        '\n\n<table class="table table-sm kp-table mb-0">\n'
        f"  <thead><tr><th></th><th>{escape(_('Project'))}</th><th>{escape(_('Responsible unit'))}</th>\n"
        f"    {column}\n"
        f"    <th>{escape(_('Why'))}</th></tr></thead>\n"
        "  <tbody>\n  "
    ]
    month_words = _("Month %(m)s")
    for p in items:
        reason = escape(p["reason"])
        # The template's two branches leave different white space after the cell.
        if not start:
            figure = f'<td class="num">{pct(p["completion_rate"])}</td>'
        elif p["planned_start_month"]:
            figure = f'<td class="num">{escape(month_words % {"m": p["planned_start_month"]})}</td>\n      '
        else:
            figure = '<td class="num">—</td>\n      '
        out.append(
            "\n    <tr>\n"
            f'      <td><span class="kp-light {escape(p["light"])}" title="{reason}"></span></td>\n'
            f'      <td><a href="{escape(p["url"])}">{escape(p["name"])}</a>'
            f'<div class="small text-secondary">{escape(p["code"])}</div></td>\n'
            f'      <td class="small">{escape(p["unit"])}</td>\n'
            f"      {figure}\n"
            f'      <td class="small">{reason}</td>\n'
            "    </tr>\n  "
        )
    out.append("\n  </tbody>\n</table>\n\n")
    return mark_safe("".join(out))  # noqa: S308 — every text escaped above


def period_form_html(
    *, years: list[int], year: int, months: list[int], month: int, extra_fields: list[tuple] = ()
) -> SafeString:
    """The year and month selects as _period.html draws them; `extra_fields`: (name, value) pairs
    sent along as hidden inputs (the wall chart's grouping)."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in extra_fields
    )
    year_options = "".join(
        f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>' for y in years
    )
    words = _("Month %(m)s")
    month_options = "".join(
        f'<option value="{m}"{" selected" if m == month else ""}>{escape(words % {"m": m})}</option>'
        for m in months
    )
    return mark_safe(  # noqa: S308 — every text escaped
        '\n<form class="d-flex gap-2 align-items-end d-print-none" method="get">\n'
        f"  {hidden}\n"
        "  <div>\n"
        f'    <label class="form-label small mb-1" for="bm-year">{escape(_("Year"))}</label>\n'
        '    <select class="form-select form-select-sm" name="year" id="bm-year" data-autosubmit>\n'
        f"      {year_options}\n"
        "    </select>\n"
        "  </div>\n"
        "  <div>\n"
        f'    <label class="form-label small mb-1" for="bm-month">{escape(_("Month"))}</label>\n'
        '    <select class="form-select form-select-sm" name="month" id="bm-month" data-autosubmit>\n'
        f"      {month_options}\n"
        "    </select>\n"
        "  </div>\n"
        f'  <noscript><button class="btn btn-sm btn-primary">{escape(_("Show"))}</button></noscript>\n'
        "</form>\n"
    )


def ranking_cards_html(kinds: list[dict], *, rank_size: int, units_url: str) -> SafeString:
    """The ranking cards as _ranking_cards.html draws them: `kinds`, battlemap.views' ranking kinds
    (name, ranked, capped, apart); `rank_size`: how many of each end a capped ranking shows;
    `units_url`: the full unit ranking."""
    out = []
    for kind in kinds:
        name = kind["name"]
        if name == "units":
            title = _("Responsible units ranked by completion rate")
            full = f'<a href="{escape(units_url)}">{escape(_("Full ranking"))} →</a>'
        else:
            title = _("Townships ranked by completion rate")
            full = ""
        if kind["capped"]:
            words = _("The best and the worst %(n)s of %(total)s") % {"n": rank_size, "total": kind["ranked"]}
        else:
            words = _("All %(total)s ranked") % {"total": kind["ranked"]}
        out.append(
            '\n  <div class="col-xl-6"><div class="kp-card p-3 h-100">\n'
            '    <div class="d-flex justify-content-between align-items-baseline flex-wrap gap-2">\n'
            f'      <h2 class="bm-card-title">{escape(title)}</h2>\n'
            '      <div class="small d-flex gap-2 align-items-baseline">\n'
            f'        <span class="text-secondary">{escape(words)}</span>\n'
            f"        {full}\n"
            "      </div>\n"
            "    </div>\n"
            f'    <div class="bm-chart bm-chart-tall" id="chart-{escape(name)}" data-chart="{escape(name)}"></div>\n'
            f"    {_apart_html(kind['apart'], id=f'{name}-apart')}</div></div>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 — every text escaped


def _apart_html(rows: list[dict], *, id: str) -> str:  # noqa: A002 — the template's name
    """The groups listed apart under a ranking, as _apart.html draws them (with its last newline)."""
    if not rows:
        return "\n"
    links = "".join(
        f'<li class="list-inline-item"><a href="{escape(r["url"])}">{escape(r["label"])}</a></li>'
        for r in rows
    )
    words = _("Not ranked: only preparatory projects whose start is not due, so no schedule requirement.")
    return (
        f'<div class="small mt-2" id="{escape(id)}"><span class="text-secondary">{escape(words)}</span>\n'
        f'<ul class="list-inline mb-0">{links}</ul></div>\n'
    )


def warning_counts_html(counts: list[tuple]) -> SafeString:
    """The warnings by kind as _warning_counts.html draws them: `counts`, reports.warnings.counts
    (each kind with the number of projects carrying it); nothing when there is no kind."""
    if not counts:
        return mark_safe("")
    cells = []
    for kind, n in counts:
        label = escape(kind.label)
        if kind.list_url:
            link = f'<a class="text-secondary" href="{escape(reverse(kind.list_url))}">{label}</a>'
        else:
            link = f'<span class="text-secondary">{label}</span>'
        cells.append(
            f'<div data-warning="{escape(kind.code)}">{link} '
            f'<span class="fs-5 fw-semibold{" kp-overdue" if n else ""}">{n}</span></div>'
        )
    return mark_safe(  # noqa: S308 — every text escaped
        '\n<div class="kp-card p-3 mb-3" id="warning-counts">\n'
        f'  <h2 class="bm-card-title">{escape(_("Warnings by kind"))} <span class="text-secondary small fw-normal">'
        f"{escape(_('(projects; beside the lights, not in them)'))}</span></h2>\n"
        f'  <div class="d-flex flex-wrap gap-3">{"".join(cells)}</div>\n'
        "</div>\n"
    )


def headline_html(headline: dict) -> SafeString:
    """The headline cards as _headline.html draws them: `headline`, battlemap.selectors.headline."""
    # Like {% blocktranslate %}: the values escaped, the translated words around them as they are.
    h = {key: escape(value) for key, value in headline.items() if not isinstance(value, dict)}
    url, lights, light_urls = h["url"], headline["lights"], headline["light_urls"]
    started = _("%(s)s started · %(n)s not started") % {"s": h["started"], "n": h["not_started"]}
    gap = headline["gap_points"]
    gap_words = "—" if gap is None else _("%(p)s points") % {"p": escape(points(gap))}
    if headline["blockers_url"]:
        blockers = (
            f'<a class="text-decoration-none text-body" href="{h["blockers_url"]}">{h["blockers_open"]}</a>'
        )
    else:
        blockers = h["blockers_open"]
    light_links = "\n".join(
        f'      <a href="{escape(light_urls[colour])}" class="text-decoration-none text-body" '
        f'title="{escape(label)}"><span class="kp-light {colour}"></span> {escape(lights[colour])}</a>'
        for colour, label in (("red", _("Red")), ("yellow", _("Yellow")), ("green", _("Green")))
    )
    card = '<div class="col-6 col-md-4 col-xl-2">'
    link = '<a class="kp-card kp-stat d-block text-decoration-none text-body"'
    return mark_safe(  # noqa: S308 — every text escaped
        '<div class="row g-3 mb-3 bm-headline">\n'
        f'  {card}{link} href="{url}" id="stat-projects">\n'
        f'    <div class="kp-stat-label">{escape(_("Key projects"))}</div>'
        f'<div class="kp-stat-value">{h["projects"]}</div>\n'
        f'    <div class="small text-secondary">{started}</div></a></div>\n'
        f'  {card}{link} href="{url}" id="stat-planned">\n'
        f'    <div class="kp-stat-label">{escape(_("Annual planned investment"))}</div>'
        f'<div class="kp-stat-value">{escape(wan(headline["planned_investment"]))}</div></a></div>\n'
        f'  {card}{link} href="{url}" id="stat-ytd">\n'
        f'    <div class="kp-stat-label">{escape(_("Completed this year"))}</div>'
        f'<div class="kp-stat-value">{escape(wan(headline["ytd_investment"]))}</div></a></div>\n'
        f'  {card}<div class="kp-card kp-stat" id="stat-rate">\n'
        f'    <div class="kp-stat-label">{escape(_("Completion rate / schedule"))}</div>\n'
        f'    <div class="kp-stat-value">{escape(pct(headline["completion_rate"]))}</div>\n'
        f'    <div class="small text-secondary">{escape(_("schedule"))} '
        f"{escape(pct(headline['schedule_target']))}</div>\n"
        f'    <div class="small fw-semibold {escape(gap_class(gap))}">{gap_words}</div>\n'
        "    </div></div>\n"
        f'  {card}<div class="kp-card kp-stat" id="stat-lights">\n'
        f'    <div class="kp-stat-label">{escape(_("Warning lights"))}</div>\n'
        '    <div class="kp-stat-value bm-lights">\n'
        f"{light_links}\n"
        "    </div></div></div>\n"
        f'  {card}<div class="kp-card kp-stat" id="stat-blockers">\n'
        f'    <div class="kp-stat-label">{escape(_("Open blockers / overdue"))} '
        f'<span class="text-secondary" id="stat-as-of">{h["as_of_label"]}</span></div>\n'
        f'    <div class="kp-stat-value">{blockers}\n'
        f'      <span class="fs-6 {"kp-overdue" if headline["blockers_overdue"] else ""}">'
        f"/ {h['blockers_overdue']}</span></div>\n"
        f'    <div class="small text-secondary">{escape(_("Open supervision tasks / overdue"))}{escape(_(": "))}'
        f'<span id="stat-tasks-open">{h["tasks_open"]}</span> / '
        f'<span class="{"kp-overdue" if headline["tasks_overdue"] else ""}" id="stat-tasks">'
        f"{h['tasks_overdue']}</span></div>\n"
        "  </div></div>\n"
        "</div>"
    )


def json_script_html(value: object, element_id: str) -> SafeString:
    """`{{ value|json_script:element_id }}`: the same encoder and the same bytes, the three characters
    json_script escapes replaced one after the other (none of the replacements holds another) rather
    than by str.translate, which looks every character of the island up in a dict (the dashboard's
    island holds every unit and township of the scope)."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return mark_safe(f'<script id="{escape(element_id)}" type="application/json">{text}</script>')  # noqa: S308 — escaped
