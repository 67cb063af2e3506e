from django import forms

from xiaoan.certificates.models import Certificate
from xiaoan.core.fields import mask, unmask
from xiaoan.core.forms import StyledFormMixin, date_input

FIELDS = [
    "unit",
    "person",
    "name",
    "id_number",
    "employer",
    "post",
    "kind",
    "code",
    "issuer",
    "valid_from",
    "valid_until",
    "place",
    "note",
]


class CertificateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Certificate
        fields = FIELDS
        widgets = {
            "valid_from": date_input(),
            "valid_until": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored ID number is never sent to the browser: the field shows it masked
        # and a masked value posted back keeps it.
        self.current_id = self.instance.id_number if self.instance.pk else None
        if self.current_id and not self.is_bound:
            self.initial["id_number"] = mask(self.current_id)
        self.fields["person"].queryset = self.fields["person"].queryset.none()
        self.fields["person"].required = False
        self.fields["name"].required = False

    def scope_to(self, user, unit) -> None:
        """Holders to choose from: the active users of the unit's school."""
        from xiaoan.accounts.models import User
        from xiaoan.core.registers import home_unit

        if unit is None:
            return
        self.fields["person"].queryset = User.objects.filter(
            is_active=True, unit__path__startswith=home_unit(unit).path
        ).order_by("name", "username")
        self.fields["person"].label_from_instance = lambda u: u.name or u.username

    def clean_id_number(self):
        return unmask(self.cleaned_data.get("id_number") or "", self.current_id) or None
