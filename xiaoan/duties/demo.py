"""Sample duties for the demo (`xiaoan demo`): the district's usual recurring duties and this
period's obligations, evaluated against the demo's inspections."""

from __future__ import annotations

from django.db import transaction

from xiaoan.accounts.models import User
from xiaoan.duties import builtin, services
from xiaoan.duties.models import Duty, Obligation
from xiaoan.orgs.models import Unit


@transaction.atomic
def load_duties() -> int:
    """Create the built-in duties once; returns how many obligations were made."""
    district = Unit.objects.filter(name="梁子湖区教育局").first()
    if district is None or Duty.objects.filter(issuer=district).exists():
        return 0
    builtin.create_builtin_duties(User.objects.get(username="district_officer"), district)
    services.daily()
    return Obligation.objects.filter(duty__issuer=district).count()
