"""重点水域's own page beyond the register layer's: logging a patrol."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterMixin
from xiaoan.core.views import ServiceFormView
from xiaoan.waters import services
from xiaoan.waters.forms import PatrolForm
from xiaoan.waters.models import WaterPatrol
from xiaoan.waters.registers import WATERS


class PatrolView(RegisterMixin, ServiceFormView):
    """The water is loaded first: 404 out of scope, 403 without the patrol permission
    (checked by `has_access`), 409 by the service once retired."""

    register = WATERS
    page = "patrol"
    form_class = PatrolForm
    success_message = _("已登记巡查。")

    def has_access(self, user) -> bool:
        from xiaoan.core.scoping import has_permission_anywhere

        return has_permission_anywhere(user, services.PATROL_PERM)

    record_action = "view"

    def get_initial(self):
        return {"patrolled_on": timezone.localdate(), "signs_ok": True}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.record
        return context

    def perform(self, form) -> WaterPatrol:
        return services.record_patrol(self.request.user, self.record.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("waters:water_detail", args=[self.record.pk])
