"""The 销号复核 pages for every persona: the organiser's people draw and see, the reviewer
records, the school never sees the sample (only its reopened hazard), others are refused."""

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.closure.models import ClosureSample, ReviewStatus
from xiaoan.closure.tests.support import DISTRICT, closed_hazard, month, sample
from xiaoan.core.tests.photo_support import jpeg_upload
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
HUGE = "9" * 25


def test_it_draws_a_sample_from_the_page(client_for, persona, units):
    closed_hazard(persona, units, 1)
    closed_hazard(persona, units, 2)
    page = client_for("district_officer")
    assert page.get("/closure/new/").status_code == 200
    response = page.post(
        "/closure/new/",
        {
            "organiser": units[DISTRICT].pk,
            "month": month(),
            "size": 1,
            "reviewer": persona("district_supervisor").pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "seed": 9,
        },
    )
    drawn = ClosureSample.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/closure/{drawn.pk}/"
    detail = page.get(f"/closure/{drawn.pk}/")
    assert detail.status_code == 200 and "可复现" in detail.content.decode()
    bad = page.post("/closure/new/", {"organiser": units[DISTRICT].pk, "month": "x", "size": 1})
    assert bad.status_code == 400


def test_it_lets_the_reviewer_fail_a_closure_from_the_phone_form(client_for, persona, units):
    drawn, _made = sample(persona, units, count=1, size=1)
    review = drawn.reviews.get()
    page = client_for("district_supervisor")
    listing = page.get("/closure/")
    assert listing.status_code == 200 and "我的复核任务" in listing.content.decode()
    form = page.get(f"/closure/reviews/{review.pk}/")
    assert form.status_code == 200 and "登记复核结果" in form.content.decode()
    refused = page.post(
        f"/closure/reviews/{review.pk}/", {"passed": "0", "note": "", "version": review.version}
    )
    assert refused.status_code == 400
    done = page.post(
        f"/closure/reviews/{review.pk}/",
        {
            "passed": "0",
            "note": "灭火器未更换",
            "version": review.version,
            "photos": [jpeg_upload(700)],
        },
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.FAILED
    photo = review.photos.get()
    assert page.get(f"/closure/photos/{photo.pk}/").status_code == 200
    again = page.post(
        f"/closure/reviews/{review.pk}/", {"passed": "1", "note": "", "version": review.version}
    )
    assert again.status_code == 400  # already recorded: the form says so (409 in the API)
    # The school sees its hazard reopened with the 假整改 mark and the REOPEN step.
    hazard_page = client_for("school_a_head").get(f"/hazards/{review.hazard_id}/")
    text = hazard_page.content.decode()
    assert "假整改" in text and "销号复核不合格" in text
    assert client_for("school_a_head").get(f"/closure/photos/{photo.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "listing", "detail", "review", "add"),
    [
        ("district_officer", 200, 200, 200, 200),
        ("district_head", 200, 200, 200, 200),
        ("district_supervisor", 200, 200, 200, 403),
        ("auditor", 200, 200, 403, 403),
        ("school_a_head", 200, 404, 404, 200),
        ("uni_security", 200, 404, 404, 200),
        ("school_b_teacher", 403, 403, 403, 403),
        ("expert", 403, 403, 403, 403),
    ],
)
def test_it_scopes_every_page(client_for, persona, units, who, listing, detail, review, add):
    drawn, _made = sample(persona, units, count=1, size=1)
    item = drawn.reviews.get()
    page = client_for(who)
    assert page.get("/closure/").status_code == listing
    assert page.get(f"/closure/{drawn.pk}/").status_code == detail
    assert page.get(f"/closure/reviews/{item.pk}/").status_code == review
    assert page.get("/closure/new/").status_code == add
    if listing == 200:
        assert page.get(f"/closure/{HUGE}/").status_code == 404
        assert page.get(f"/closure/reviews/{HUGE}/").status_code == 404
        assert page.get(f"/closure/photos/{HUGE}/").status_code == 404
    if who == "school_a_head":
        text = page.get("/closure/").content.decode()
        assert drawn.title not in text
        assert Hazard.objects.filter(pk=item.hazard_id).exists()


def test_it_gives_the_reviewer_a_to_do(persona, units):
    from xiaoan.core.todos import todos_for

    sample(persona, units, count=1, size=1)
    todos = {t.key: t for t in todos_for(persona("district_supervisor"))}
    assert todos["closure.review"].count == 1
    assert "closure.review" not in {t.key for t in todos_for(persona("school_a_head"))}


def test_it_hides_the_sample_from_another_district_and_shows_it_to_the_city(
    client_for, api_for, persona, units
):
    from xiaoan.accounts.models import Role, RoleAssignment, User
    from xiaoan.orgs.testing import two_districts

    places = two_districts(units)
    drawn, _made = sample(persona, units, count=1, size=1)
    item = drawn.reviews.get()

    def officer(username, unit):
        user = User.objects.create(username=username, name="某科长", unit=unit)
        RoleAssignment.objects.create(
            user=user,
            role=Role.objects.get(code="safety_officer"),
            unit=unit,
            include_descendants=True,
        )
        return user

    officer("officer_b", places.district_b)
    officer("officer_city", places.city)
    other = client_for("officer_b")
    assert other.get(f"/closure/{drawn.pk}/").status_code == 404
    assert other.get(f"/closure/reviews/{item.pk}/").status_code == 404
    assert drawn.title not in other.get("/closure/").content.decode()
    api = api_for("officer_b")
    assert api.get(f"/api/closure-samples/{drawn.pk}/").status_code == 404
    posted = api.post(
        f"/api/closure-samples/{drawn.pk}/reviews/{item.pk}/", {"passed": True}, format="json"
    )
    assert posted.status_code == 404
    made = api.post(
        "/api/closure-samples/",
        {
            "organiser": places.district_a.pk,
            "month": month(),
            "size": 1,
            "reviewer": persona("district_supervisor").pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert made.status_code == 400
    assert client_for("officer_city").get(f"/closure/{drawn.pk}/").status_code == 200
