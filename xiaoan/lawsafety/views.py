"""The legal vice-principal's own pages beyond the register layer's: recording one activity
and taking one back (the rest of the three registers' pages come from
xiaoan.core.register_views)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import ItemInUseMixin, RegisterMixin
from xiaoan.core.views import ServiceActionView, ServiceFormView
from xiaoan.lawsafety import services
from xiaoan.lawsafety.forms import ActivityForm
from xiaoan.lawsafety.models import LegalVicePrincipal
from xiaoan.lawsafety.registers import LEGAL_VICE_PRINCIPALS


class ActivityAddView(ItemInUseMixin, RegisterMixin, ServiceFormView):
    register = LEGAL_VICE_PRINCIPALS
    page = "activity"
    permission_action = "change"
    form_class = ActivityForm
    success_message = _("已登记活动。")

    def perform(self, form):
        return services.add_activity(self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return reverse(LEGAL_VICE_PRINCIPALS.url_name("detail"), args=[self.record.pk])


class ActivityRemoveView(ServiceActionView):
    model = LegalVicePrincipal
    permission_action = "change"
    success_message = _("已删除该活动记录。")

    def perform(self):
        return services.remove_activity(
            self.request.user, self.kwargs["pk"], self.kwargs["activity"]
        )

    def get_success_url(self):
        return reverse(LEGAL_VICE_PRINCIPALS.url_name("detail"), args=[self.kwargs["pk"]])
