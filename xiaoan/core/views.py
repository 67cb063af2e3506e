"""Generic scoped views and the shell pages (home, health, unit switcher)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView

from xiaoan.audit.files import file_served
from xiaoan.core.errors import Forbidden, NotFound, ServiceError
from xiaoan.core.middleware import SESSION_KEY
from xiaoan.core.scoping import has_permission_anywhere, permission_name
from xiaoan.core.todos import todos_for


def photo_response(photo, image: Any = None) -> FileResponse:
    """A stored (re-encoded JPEG) photo the caller has already been allowed to see: a photo
    record's `image`, or `image`, the photo field of `photo`'s record. 404 when its file is
    gone. Private: the browser may keep it, shared caches may not."""
    image = image if image is not None else photo.image
    try:
        handle = image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    file_served("download", "photo", obj=photo, filename=image.name)
    return response


def attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    """A file made for this person (a generated document) as a download named `name`:
    private and not kept."""
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


def evidence_response(obj, field, name: str, kind: str) -> FileResponse:
    """An uploaded file (evidence) of a record the caller may see, as a download named `name`;
    404 when there is none or it is gone. Private and not kept: it may be confidential."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name or "evidence")
    response["Cache-Control"] = "private, no-store"
    file_served("download", kind, obj=obj, filename=name)
    return response


class CurrentUnitFilterMixin:
    """List filters default to the unit chosen in the header's unit switcher."""

    def filter_data(self):
        data = self.request.GET.copy()
        data.pop("page", None)
        current = self.request.current_unit
        if "unit" not in data and current is not None:
            data["unit"] = str(current.pk)
        return data


class PartialListMixin:
    """A list whose filters and pages update only its results (htmx): a request from htmx
    aimed at `partial_target` gets `partial_template_name`, the same context without the
    page around it; anything else (no JavaScript, a bookmarked URL) gets the whole page.
    The filter form carries `hx-get`, `hx-target="#<partial_target>"` and `hx-push-url`, so
    the address bar, the back button and the export links follow the filters."""

    partial_template_name = ""
    partial_target = "list-results"

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        # Only a list that has a fragment answers with one; the others always send the page.
        partial = self.partial_template_name and htmx and htmx.target == self.partial_target
        if partial and not htmx.history_restore_request:
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers a page or a fragment: caches must tell them apart.
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response


class ScopedMixin(LoginRequiredMixin):
    """403 when the user holds the permission nowhere; querysets only via `restrict`,
    so an object outside the user's scope is a 404.

    `has_access` is the hook for pages open to more people than the permission's holders
    (a 随手拍 reporter may report and see their own reports without hazards.view)."""

    model: Any = None
    permission_action = "view"

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, permission_name(self.model, self.permission_action))

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.has_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model._default_manager.restrict(self.request.user, "view")

    def get_record(self, pk: Any, action: str = "view", model: Any = None):
        """The record if the person may `action` it: 404 when out of scope, 403 when visible
        but not theirs to `action` (`xiaoan.core.services.get_scoped`)."""
        from xiaoan.core.services import get_scoped

        return get_scoped(self.request.user, model or self.model, pk, action)


class RecordPhotoView(ScopedMixin, View):
    """The photo of a record (a check's `photo`), served only to those who may view such
    records at its unit; 404 for any other record or one without a photo."""

    photo_field = "photo"

    def get(self, request, pk):
        name = permission_name(self.model, "view")
        record = (
            self.model._default_manager.with_permission(request.user, name)
            .filter(pk=pk)
            .exclude(**{self.photo_field: ""})
            .first()
        )
        if record is None:
            raise Http404
        return photo_response(record, getattr(record, self.photo_field))


class ServiceFormView(ScopedMixin, FormView):
    """A page whose form hands its cleaned data to one service function.

    `perform(form)` calls the service and returns what it made; a refusal lands on the form
    (re-rendered with status 400 and everything typed) or, for 404/403, answers those; a
    success shows `success_message` and goes to `get_success_url()` (which can read
    `self.result`). `get_context_data` adds `record` when the view works on one."""

    success_message: Any = ""
    record: Any = None
    result: Any = None
    # Refusals after which the form is no use (the record changed meanwhile): their message
    # is shown at `get_refused_url()` instead of on the form.
    redirect_on: tuple[type[ServiceError], ...] = ()
    # Set when the page works on the record at <pk>: loaded before anything else, 404 out of
    # scope, 403 when seen but not the person's to `record_action`.
    record_action = ""

    def dispatch(self, request, *args, **kwargs):
        if self.record_action and request.user.is_authenticated and self.has_access(request.user):
            self.record = self.get_record(kwargs["pk"], self.record_action)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form) -> Any:
        raise NotImplementedError

    def get_refused_url(self) -> str:
        return self.request.path

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except self.redirect_on as error:
            messages.error(self.request, str(error.message))
            return HttpResponseRedirect(self.get_refused_url())
        except ServiceError as error:
            raise_for_service_error(error, form)
            return self.form_invalid(form)
        return self.success_response()

    def success_response(self):
        """Message and redirect; a page that shows what the service made once (a one-time
        password, a new key) answers it here instead."""
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self) -> str:
        return str(self.success_message)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.record is not None:
            context.setdefault("record", self.record)
        return context


class ServiceActionView(ScopedMixin, View):
    """A button on a record page (POST, no form): `perform()` calls the service. NotFound and
    Forbidden are 404/403; any other refusal is a message, a success is `success_message`,
    both at `get_success_url()` (the record), not at the referring page as
    `ServiceErrorMiddleware` would send them."""

    http_method_names = ["post"]
    success_message: Any = ""

    def perform(self) -> Any:
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            self.result = self.perform()
        except (NotFound, Forbidden):
            raise
        except ServiceError as error:
            messages.error(request, str(error.message))
        else:
            if self.success_message:
                messages.success(request, str(self.success_message))
        return HttpResponseRedirect(self.get_success_url())


class ScopedListView(PartialListMixin, ScopedMixin, ListView):
    paginate_by = 50
    filterset_class: Any = None

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            if self.filterset.is_bound and self.filterset.is_valid():
                queryset = self.filterset.qs
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = getattr(self, "filterset", None)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.permission_action != "view":
            manager = self.model._default_manager
            if (
                not manager.restrict(self.request.user, self.permission_action)
                .filter(pk=obj.pk)
                .exists()
            ):
                raise PermissionDenied
        return obj


def raise_for_service_error(error: ServiceError, form=None) -> None:
    """404/403 become Django's responses; other errors land on the form."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message))
    if isinstance(error, Forbidden):
        raise PermissionDenied(str(error.message))
    if form is None:
        raise error
    # The service's own sentence says what is wrong as a whole; keep it beside the field
    # errors unless it is only the generic "please check" line.
    if (
        not error.fields
        or str(error.message) != str(type(error).default_message)
        or not set(error.fields) <= set(form.fields)
    ):
        form.add_error(None, str(error.message))
    for field, texts in error.fields.items():
        for message in texts:
            form.add_error(field if field in form.fields else None, message)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from xiaoan.orgs.choices import UnitKind
        from xiaoan.orgs.models import Unit

        context = super().get_context_data(**kwargs)
        units = Unit.objects.restrict(self.request.user)
        current = self.request.current_unit
        if current is not None:
            units = units.filter(path__startswith=current.path)
        context["unit_count"] = units.count()
        context["school_count"] = units.filter(kind=UnitKind.SCHOOL).count()
        context["todos"] = todos_for(self.request.user)
        # The page offers 随手拍 itself (the phone header then leaves it out).
        context["can_report"] = has_permission_anywhere(self.request.user, "hazards.add_hazard")
        return context


class SwitchUnitView(LoginRequiredMixin, View):
    def post(self, request):
        from xiaoan.orgs.models import Unit

        unit_id = request.POST.get("unit") or ""
        if unit_id:
            try:
                unit_pk = int(unit_id)
            except ValueError:
                raise Http404 from None
            if not Unit.objects.restrict(request.user).filter(pk=unit_pk).exists():
                raise Http404
            request.session[SESSION_KEY] = unit_pk
        else:
            request.session.pop(SESSION_KEY, None)
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = "/"
        return HttpResponseRedirect(target)


def _database_health() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _cache_health() -> dict[str, Any]:
    """A key written and read back: the cache holds the rate limits and page freshness."""
    from django.core.cache import cache

    key, token = "xiaoan:readyz", secrets.token_hex(8)
    try:
        cache.set(key, token, 30)
        ok = cache.get(key) == token
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok"} if ok else {"status": "error", "error": "mismatch"}


def _storage_health() -> dict[str, Any]:
    """A small file written, read back and removed where uploads are kept."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    try:
        name = default_storage.save(f"readyz/{secrets.token_hex(8)}.txt", ContentFile(b"ok"))
        try:
            with default_storage.open(name) as handle:
                ok = handle.read() == b"ok"
        finally:
            default_storage.delete(name)
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok"} if ok else {"status": "error", "error": "mismatch"}


def _health(checks: dict[str, dict[str, Any]]) -> JsonResponse:
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@never_cache
def healthz(request):
    """Liveness: this process answers. It touches nothing else, so a database or cache
    outage never makes an orchestrator restart app servers that are themselves fine."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Whether this server can take requests: the database, the cache, the job queue and
    the file storage all answer (503 naming the one that does not, without internals)."""
    from xiaoan.jobs import queue_health

    return _health(
        {
            "database": _database_health(),
            "cache": _cache_health(),
            "jobs": queue_health(),
            "storage": _storage_health(),
        }
    )


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
