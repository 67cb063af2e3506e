"""大型活动's own page beyond the register layer's: the sign-off (签批)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterMixin
from xiaoan.core.views import ServiceFormView
from xiaoan.events import services
from xiaoan.events.forms import SignOffForm
from xiaoan.events.registers import EVENTS


class SignOffView(RegisterMixin, ServiceFormView):
    register = EVENTS
    page = "signoff"
    permission_action = "signoff"
    form_class = SignOffForm
    success_message = _("已签批。")

    def dispatch(self, request, *args, **kwargs):
        # The event is loaded before anything else: 404 out of scope or retired, 403 when
        # the person sees it but may not sign it off.
        if request.user.is_authenticated and self.has_access(request.user):
            self.record = self.get_record(kwargs["pk"], "signoff")
            if self.record.is_retired:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blockers"] = services.blockers(self.record)
        return context

    def perform(self, form):
        return services.sign_off(self.request.user, self.record.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("events:event_detail", args=[self.record.pk])
