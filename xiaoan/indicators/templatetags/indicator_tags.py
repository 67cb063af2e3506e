from django import template

from xiaoan.indicators.values import plain

register = template.Library()


@register.filter
def number(value) -> str:
    """60.00 → 60, 14.29 → 14.29, None → —."""
    return plain(value)
