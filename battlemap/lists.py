"""The dashboard's short lists (lagging, not started) as HTML, written in Python.

templates/battlemap/_project_list.html is the same markup drawn by the template engine; the page
writes the rows here (30 rows cost the engine more Python than the rest of the lists' work), and
tests/test_dashboard_list_html.py holds the two equal on every case.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projects.templatetags.kp import pct

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
