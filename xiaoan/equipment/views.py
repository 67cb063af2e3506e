"""一台一档's own page beyond the register layer's: recording a new statutory inspection."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.forms import StyledFormMixin, date_input
from xiaoan.core.register_views import ItemInUseMixin, RegisterMixin
from xiaoan.core.views import ServiceFormView
from xiaoan.equipment import services
from xiaoan.equipment.choices import Conclusion
from xiaoan.equipment.registers import EQUIPMENT


class InspectionForm(StyledFormMixin, forms.Form):
    inspected_on = forms.DateField(label=_("检验日期"), widget=date_input())
    conclusion = forms.ChoiceField(label=_("检验结论"), choices=Conclusion.choices)
    next_inspection_on = forms.DateField(label=_("下次定期检验日期"), widget=date_input())


class RecordInspectionView(ItemInUseMixin, RegisterMixin, ServiceFormView):
    register = EQUIPMENT
    page = "inspection"
    permission_action = "change"
    form_class = InspectionForm
    success_message = _("已登记定期检验，下次检验日期已更新。")

    def perform(self, form):
        return services.record_inspection(self.request.user, self.record.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("equipment:equipment_detail", args=[self.record.pk])
