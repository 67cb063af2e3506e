from __future__ import annotations

SESSION_KEY = "xiaoan_current_unit"


def _current_unit(request):
    from xiaoan.orgs.models import Unit

    unit_id = request.session.get(SESSION_KEY)
    if not unit_id or not request.user.is_authenticated:
        return None
    return Unit.objects.restrict(request.user).filter(pk=unit_id).first()


class CurrentUnitMiddleware:
    """The unit a person with several assignments is working in right now (unit switcher).

    It narrows what lists show by default; it never widens what the person may see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_unit = _current_unit(request)
        return self.get_response(request)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class BadInputMiddleware:
    """Input the database cannot take is the client's error, never a 500.

    Before the view: a path number no 64-bit key can hold names no record (pages: 404, as any
    missing record; API: the structured 400). After: an OverflowError or DataError that got
    past the forms and serializers, or a body over the limits, becomes a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404, JsonResponse
        from django.utils.translation import gettext as _

        from xiaoan.core.api import error_body
        from xiaoan.core.limits import out_of_bigint_range

        if not any(out_of_bigint_range(v) for v in (*view_args, *view_kwargs.values())):
            return None
        if _is_api(request):
            body = error_body("out_of_range", _("路径中的编号超出允许范围。"))
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        raise Http404

    def process_exception(self, request, exception):
        from django.http import JsonResponse
        from django.shortcuts import render

        from xiaoan.core.api import bad_input_error, error_body

        bad = bad_input_error(exception)
        if bad is None:
            return None
        if _is_api(request):
            return JsonResponse(
                error_body(*bad), status=400, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "400.html", {"message": bad[1]}, status=400)


class ServiceErrorMiddleware:
    """Page views let a service's refusal through instead of catching it each time.

    NotFound and Forbidden answer Django's own 404 and 403 pages. Any other refusal of a POST
    with no form to show it on (a button such as 下发 or 结束检查) comes back as a message on
    the page the person posted from; a form view (`ServiceFormView`) shows it on its form
    instead. The API never gets here: DRF turns service errors into structured JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied
        from django.core.handlers.exception import response_for_exception
        from django.http import Http404, HttpResponseRedirect
        from django.utils.http import url_has_allowed_host_and_scheme

        from xiaoan.core.errors import Forbidden, NotFound, ServiceError

        if not isinstance(exception, ServiceError) or _is_api(request):
            return None
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception.message)))
        if isinstance(exception, Forbidden):
            return response_for_exception(request, PermissionDenied(str(exception.message)))
        if request.method != "POST":
            return None
        messages.error(request, str(exception.message))
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, {request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        return HttpResponseRedirect(back)
