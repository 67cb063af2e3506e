"""安防建设 on the dashboard (xiaoan.reports.figures): this year's schools declared, verified,
awaiting verification, returned, meeting all of 四个100% (verified only) and not declared;
per branch the declarations not verified and the verified ones not meeting them, for the
ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    branches_of,
    section,
    tallied,
)
from xiaoan.security.choices import PostureStatus
from xiaoan.security.registers import SECURITY_POSTURES


def schools_in(scope: Scope) -> int:
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    units = Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True)
    if scope.subtree:
        return units.filter(path__startswith=scope.path).count()
    return units.filter(pk=scope.unit.pk).count()


@section
def security_section(scope: Scope) -> Section | None:
    if not allowed(scope, "security.view_securityposture"):
        return None
    totals = tallied(scope, SECURITY_POSTURES)
    year = scope.today.year
    link = partial(scope.list_url, "security:securityposture_list", year=year)
    schools = schools_in(scope)
    missing = max(schools - totals["declared"], 0)

    result = Section(key="security", title=_("安防建设（四个100%）"), order=46, brief=False)
    result.figures = [
        Figure("declared", _("已申报学校"), totals["declared"], link(), suffix=_("所")),
        Figure(
            "verified",
            _("已核验"),
            totals["verified"],
            link(status=PostureStatus.VERIFIED),
            suffix=_("所"),
        ),
        Figure(
            "submitted",
            _("待核验"),
            totals["submitted"],
            link(status=PostureStatus.SUBMITTED),
            bad=totals["submitted"] > 0,
            suffix=_("所"),
        ),
        Figure(
            "returned",
            _("已退回"),
            totals["returned"],
            link(status=PostureStatus.RETURNED),
            bad=totals["returned"] > 0,
            suffix=_("所"),
        ),
        Figure(
            "met",
            _("四个100%全部落实"),
            totals["met"],
            link(status=PostureStatus.VERIFIED, meets_all="true"),
            suffix=_("所"),
        ),
        Figure("missing", _("未申报"), missing, "", bad=missing > 0, suffix=_("所")),
    ]
    # Shown in the ranking, not weighted into its score.
    result.columns = [Column("unverified", _("未核验")), Column("unmet", _("未全部落实"))]
    result.branches = branches_of(scope, SECURITY_POSTURES, "unverified", "unmet")
    return result
