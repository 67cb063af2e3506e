"""The audit administrator's page: search, filter, page through and export the trail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views import View
from django.views.generic import RedirectView

from xiaoan.audit import exports
from xiaoan.audit.filtersets import AuditEntryFilterSet
from xiaoan.audit.models import AuditAction, AuditEntry
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedListView, ScopedMixin
from xiaoan.orgs.models import Unit

EXPORT_PERMISSION = "audit.export_auditentry"


class FilteredMixin:
    """The filtered rows; invalid filters show nothing (never everything) with the errors."""

    def filtered(self, queryset):
        self.filterset = AuditEntryFilterSet(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        if not self.filterset.is_bound:
            return queryset
        if not self.filterset.is_valid():
            return queryset.none()
        return self.filterset.qs


class AuditEntryListView(FilteredMixin, ScopedListView):
    model = AuditEntry
    template_name = "audit/auditentry_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = self.model.objects.restrict(self.request.user, "view").select_related("unit")
        return self.filtered(queryset).order_by("-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valid = self.filterset.is_bound and self.filterset.is_valid()
        unit_id = self.filterset.form.cleaned_data.get("unit") if valid else None
        context.update(
            actions=AuditAction.choices,
            chosen_actions=self.request.GET.getlist("action"),
            chosen_unit=Unit.objects.filter(pk=unit_id).first() if unit_id else None,
            can_export=has_permission_anywhere(self.request.user, EXPORT_PERMISSION),
        )
        return context


class AuditEntryExportView(FilteredMixin, ScopedMixin, View):
    model = AuditEntry

    def get(self, request, *args, **kwargs):
        if not has_permission_anywhere(request.user, EXPORT_PERMISSION):
            raise PermissionDenied
        queryset = AuditEntry.objects.restrict(request.user, "view")
        return exports.response(self.filtered(queryset))


class OldAuditLogRedirect(RedirectView):
    """The former /accounts/audit/ page lives on as the audit trail."""

    pattern_name = "audit:auditentry_list"
    query_string = True
