"""`{% load duties %}`: `{% if user|may:"users" %}` — the administration links a user may follow."""

from __future__ import annotations

from django import template

from accounts import duties as rules

register = template.Library()


@register.filter
def may(user, duty: str) -> bool:
    return rules.may(user, duty)


@register.simple_tag
def duties_separated() -> bool:
    """`{% duties_separated as separated %}`: whether the administrators' pages left the office."""
    return rules.separated()
