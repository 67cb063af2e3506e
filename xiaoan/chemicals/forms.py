"""Page forms. They only shape input: the rules are in xiaoan.chemicals.services."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.chemicals.choices import QUANTITY_DIGITS, QUANTITY_PLACES, RECORDABLE, MovementKind
from xiaoan.chemicals.models import Chemical, Storage
from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.core.workflow_pages import WorkflowForm


def quantity_input(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        # A phone shows its number pad with the decimal point.
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.001", "min": "0"}),
        **kwargs,
    )


CHEMICAL_FIELDS = [
    "unit",
    "name",
    "code",
    "cas_number",
    "spec",
    "measure",
    "is_flammable",
    "is_explosive",
    "is_toxic",
    "is_precursor",
    "is_explosive_precursor",
    "note",
]
STORAGE_FIELDS = ["unit", "name", "code", "kind", "place", "keeper_one", "keeper_two", "note"]


class ChemicalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Chemical
        fields = CHEMICAL_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class StorageForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Storage
        fields = STORAGE_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def scope_to(self, user, unit) -> None:
        """Keyholders are offered from the chosen unit's serving staff (called by the
        register layer once it knows the unit; none before one is chosen)."""
        from xiaoan.accounts.models import User

        people = User.objects.none()
        if unit is not None:
            people = User.objects.filter(is_active=True, unit__path__startswith=unit.path).order_by(
                "name", "username"
            )
        for name in ("keeper_one", "keeper_two"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda u: u.display_name


class MovementForm(StyledFormMixin, forms.Form):
    """登记出入库, one column for a phone at the cabinet."""

    chemical = forms.ModelChoiceField(label=_("危化品"), queryset=Chemical.objects.none())
    storage = forms.ModelChoiceField(label=_("存放点"), queryset=Storage.objects.none())
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k.value, k.label) for k in RECORDABLE],
        initial=MovementKind.ISSUE,
    )
    quantity = quantity_input(_("数量"), min_value=Decimal("0.001"))
    occurred_on = forms.DateField(label=_("日期"), widget=date_input(), required=False)
    recipient_name = forms.CharField(
        label=_("领用人"), max_length=50, required=False, help_text=_("领用、退回时填写")
    )
    purpose = forms.CharField(
        label=_("用途"), max_length=200, required=False, help_text=_("领用、使用消耗时填写")
    )
    disposer_name = forms.CharField(
        label=_("处置单位"), max_length=100, required=False, help_text=_("废弃物移交时填写")
    )
    disposer_licence = forms.CharField(
        label=_("危险废物经营许可证号"), max_length=60, required=False
    )
    reason = forms.CharField(label=_("备注"), max_length=200, required=False)
    # A second tap on 登记 (or the browser resending) is the same movement, not another.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, chemicals=None, storages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chemical"].queryset = chemicals
        self.fields["storage"].queryset = storages
        if not self.is_bound:
            self.initial.setdefault("occurred_on", timezone.localdate())
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class StocktakeForm(StyledFormMixin, forms.Form):
    """One line per chemical: the counted quantity and, when it differs, the reason."""

    taken_on = forms.DateField(label=_("盘点日期"), widget=date_input(), required=False)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, chemicals: list[Any] = (), books: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chemicals = list(chemicals)
        books = books or {}
        for chem in self.chemicals:
            book = books.get(chem.pk, Decimal("0"))
            self.fields[f"counted_{chem.pk}"] = quantity_input(
                str(chem), min_value=Decimal("0"), required=False
            )
            self.fields[f"reason_{chem.pk}"] = forms.CharField(
                label=_("差异原因"), max_length=200, required=False
            )
            if not self.is_bound:
                self.initial[f"counted_{chem.pk}"] = book.normalize() if book else None
            chem.book = book
        if not self.is_bound:
            self.initial.setdefault("taken_on", timezone.localdate())

    def rows(self):
        """(chemical, counted field, reason field) for the template."""
        return [
            (chem, self[f"counted_{chem.pk}"], self[f"reason_{chem.pk}"]) for chem in self.chemicals
        ]

    def lines(self) -> list[dict[str, Any]]:
        """The lines the person counted (a blank count is a chemical not counted)."""
        out = []
        for chem in self.chemicals:
            counted = self.cleaned_data.get(f"counted_{chem.pk}")
            if counted is None:
                continue
            out.append(
                {
                    "chemical": chem.pk,
                    "counted_quantity": counted,
                    "reason": self.cleaned_data.get(f"reason_{chem.pk}", ""),
                }
            )
        return out


class ConfirmForm(WorkflowForm):
    intro = _("复核人确认：已与经办人共同开锁、核对品名与数量。确认后计入结存。")
    note = forms.CharField(label=_("复核意见"), max_length=200, required=False)


class RejectForm(WorkflowForm):
    note = forms.CharField(label=_("退回原因"), max_length=200)
