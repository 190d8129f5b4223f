"""A page's form as the browser would post it: every input, select and textarea with its value."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.forms: list[dict[str, list[str]]] = []
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._multiple = False
        self._first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and (self.form_id is None or a.get("id") == self.form_id):
            self.inside, self.values = True, {}
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
            else:
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._multiple, self._first = name, "multiple" in a, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
            self.forms.append(self.values)
        elif tag == "select" and self._select:
            # A browser sends a single select's first option when none is marked; a multiple one, nothing.
            if self._select not in self.values and not self._multiple and self._first is not None:
                self._add(self._select, self._first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_values(page: str, form_id: str | None = None) -> dict:
    """The form of `page` with id `form_id` (or its largest form: the page's own, not the search
    box or the sign-out button) as POST data: lists for multiple values, a single value otherwise;
    the csrf token left out (the test client needs none)."""
    parser = _Form(form_id)
    parser.feed(page)
    assert parser.forms, f"no form {form_id or ''} in the page"
    values = max(parser.forms, key=len)
    data = {k: (v if len(v) > 1 else v[0]) for k, v in values.items()}
    data.pop("csrfmiddlewaretoken", None)
    return data


def page_form(client, url: str, form_id: str | None = None) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content.decode(), form_id)


def stale_box(page: str) -> str:
    match = re.search(r'<div class="alert alert-warning kp-stale".*?</table>', page, re.S)
    assert match, "no conflict box with its table"
    return match.group(0)


def says_who_and_when(box: str, who: str) -> None:
    assert f"已被{who}于" in box  # "Changed by X at T", in the user's language
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", box)
