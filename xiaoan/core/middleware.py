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
