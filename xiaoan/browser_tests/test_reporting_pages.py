"""The pages of reports upward, accountability, incidents and student cases, with their demo
data, at phone (390) and desktop (1280) size: each opens with its heading, nothing is wider
than a phone's screen, and the browser reports no console or CSP error.

Screenshots of each page at 390 and 1280 px go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def _load() -> dict[str, str]:
    from xiaoan.accountability.demo import load_accountability
    from xiaoan.accountability.models import Decision
    from xiaoan.incidents.demo import load_incidents
    from xiaoan.incidents.models import Incident
    from xiaoan.reportcalls.demo import load_reportcalls
    from xiaoan.reportcalls.models import Report, ReportCall
    from xiaoan.studentcases.demo import load_student_cases
    from xiaoan.studentcases.models import BullyingCase, StudentCase

    load_incidents()
    load_student_cases()
    load_reportcalls()
    load_accountability()
    first = {
        model: model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for model in (Decision, Incident, Report, ReportCall, StudentCase, BullyingCase)
    }
    assert all(first.values()), first
    draft = Decision.objects.filter(status="draft").values_list("pk", flat=True).first()
    asked = (
        BullyingCase.objects.filter(review_requested_on__isnull=False)
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "report-calls": "/report-calls/",
        "report-call": f"/report-calls/{first[ReportCall]}/",
        "report": f"/report-calls/reports/{first[Report]}/",
        "accountability": "/accountability/",
        "decision": f"/accountability/{first[Decision]}/",
        "decision-edit": f"/accountability/{draft}/edit/",
        "evidence": "/accountability/evidence/",
        "incidents": "/incidents/",
        "incident": f"/incidents/{first[Incident]}/",
        "duty-today": "/incidents/duty/today/",
        "student-counts": "/student-cases/counts/",
        "student-cases": "/student-cases/",
        "student-case": f"/student-cases/{first[StudentCase]}/",
        "bullying-case": f"/student-cases/bullying/{first[BullyingCase]}/",
        "bullying-reviews": "/student-cases/bullying/?step=review",
        "bullying-review": f"/student-cases/bullying/{asked}/",
    }


# Who looks at what: the district's officer at the bureau's pages (a minor's case is not
# theirs: counts only), School A's head (who holds 学生安全专员) at the school's.
DISTRICT = (
    "report-calls",
    "report-call",
    "accountability",
    "decision",
    "decision-edit",
    "evidence",
    "incidents",
    "incident",
    "student-counts",
)
SCHOOL = ("report", "incidents", "duty-today", "student-cases", "student-case", "bullying-case")
# The county's 学生欺凌复查专员: the cases whose review was asked for, and nothing else.
REVIEWER = ("bullying-reviews", "bullying-review")


def test_it_shows_the_reporting_pages_on_a_phone_and_a_desktop(browse):
    pages = _load()
    people = (
        ("district_officer", DISTRICT),
        ("school_a_head", SCHOOL),
        ("district_bullying_reviewer", REVIEWER),
    )
    for who, names in people:
        for size, viewport in (("390", PHONE), ("1280", DESKTOP)):
            page = browse.page(who, viewport)
            for name in names:
                page.goto(pages[name])
                expect(page.locator("main h1")).to_be_visible()
                if viewport is PHONE:
                    fits_phone(page)
                shot(page, f"{name}-{who}-{size}")
