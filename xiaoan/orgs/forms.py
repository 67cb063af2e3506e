from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin
from xiaoan.orgs.models import Unit
from xiaoan.orgs.services import EDITABLE_FIELDS


class UnitForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = EDITABLE_FIELDS

    def clean(self):
        # The service validates kinds against the parent; here only the form fields.
        return super().clean()

    def _post_clean(self) -> None:
        # Model validation happens in the service with the parent in hand.
        pass


class UnitCreateForm(UnitForm):
    parent = forms.ModelChoiceField(
        label=_("上级单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（顶层单位）"),
    )

    class Meta(UnitForm.Meta):
        fields = ["parent", *EDITABLE_FIELDS]

    def __init__(self, *args, parent_queryset=None, allow_root: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_queryset
        self.fields["parent"].required = not allow_root
        self.fields["parent"].label_from_instance = lambda u: f"{'　' * (u.depth - 1)}{u.name}"


class UnitMoveForm(StyledFormMixin, forms.Form):
    parent = forms.ModelChoiceField(label=_("新的上级单位"), queryset=Unit.objects.none())

    def __init__(self, *args, parent_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_queryset
        self.fields["parent"].label_from_instance = lambda u: f"{'　' * (u.depth - 1)}{u.name}"


class UnitImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)


class AreaMapForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("地图名称"), max_length=100, required=False)
    file = forms.FileField(
        label=_("边界文件（GeoJSON）"),
        help_text=_("行政区划边界，经纬度坐标（WGS-84），不超过 5 MB。"),
    )
