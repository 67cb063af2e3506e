from __future__ import annotations

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

DASH = BLANK_CHOICE_DASH[0][1]  # Django's bare "---------"


def name_empty_choice(field: forms.Field) -> None:
    """Say 请选择 where Django would offer a bare "---------" choice."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASH:
            field.empty_label = _("请选择")
    elif isinstance(field, forms.ChoiceField) and not callable(field.choices):
        choices = list(field.choices)
        if any(label == DASH for _value, label in choices):
            field.choices = [
                (value, _("请选择") if label == DASH else label) for value, label in choices
            ]


def style_widget(widget: forms.Widget) -> None:
    """Bootstrap's class for the kind of widget, added to any it already has."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledFormMixin:
    """Gives every widget Bootstrap's classes, so templates stay plain."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            name_empty_choice(field)
            style_widget(field.widget)


def date_input() -> forms.DateInput:
    """The browser's own date picker, with the value in the ISO form it expects."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
