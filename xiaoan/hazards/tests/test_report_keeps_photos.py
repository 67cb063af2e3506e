"""随手拍 never loses its photo: a report refused (no description) keeps the photos with the
form, shows them again, and the next try sends them without taking them again."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import PHONE, hidden_value, jpeg

private_media = support.private_media
SCHOOL = "梁子湖高级中学"


def _tokens(html: str) -> list[str]:
    return re.findall(r'name="kept_photo" value="([^"]+)"', html)


def test_it_keeps_the_photo_when_the_description_is_missing(
    units, client_for, persona, django_capture_on_commit_callbacks
):
    client = client_for("school_a_officer")
    client.defaults["HTTP_USER_AGENT"] = PHONE
    url = reverse("hazards:hazard_report")
    key = hidden_value(client.get(url).content.decode(), "idempotency_key")
    body = {"unit": units[SCHOOL].pk, "place_text": "三号楼", "idempotency_key": key}
    notaphoto = SimpleUploadedFile("x.jpg", b"text", content_type="image/jpeg")
    refused = client.post(url, {**body, "photos": [jpeg(), jpeg("b.jpg", "blue"), notaphoto]})
    assert refused.status_code == 400
    html = refused.content.decode()
    tokens = _tokens(html)
    assert len(tokens) == 2  # the two photos, not the text file
    assert html.count('src="data:image/jpeg;base64,') == 2
    assert "已保留刚才的 2 张照片" in html and 'value="三号楼"' in html
    assert not Hazard.objects.exists()

    # Refused again (still no description): the kept photos stay, a new one joins them.
    again = client.post(url, {**body, "kept_photo": tokens, "photos": [jpeg("c.jpg", "red")]})
    assert again.status_code == 400
    tokens = _tokens(again.content.decode())
    assert len(tokens) == 3

    # With the description, one unticked: the hazard has the two photos left.
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**body, "description": "楼道堆放杂物", "kept_photo": tokens[:2]})
    assert done.status_code == 302
    hazard = Hazard.objects.get(description="楼道堆放杂物")
    assert hazard.photos.count() == 2
    pending = Path(settings.MEDIA_ROOT) / "pending" / str(persona("school_a_officer").pk)
    assert len(list(pending.iterdir())) == 1  # the pending copies sent went; the unticked stays


def test_it_takes_no_photo_kept_for_someone_else(units, client_for):
    other = client_for("school_a_officer")
    url = reverse("hazards:hazard_report")
    refused = other.post(
        url, {"unit": units[SCHOOL].pk, "idempotency_key": "k1", "photos": [jpeg()]}
    )
    token = _tokens(refused.content.decode())[0]
    thief = client_for("school_b_teacher")
    body = {"unit": units["东沟镇中心小学"].pk, "idempotency_key": "k2", "kept_photo": [token]}
    shown = thief.post(url, body)
    assert 'name="kept_photo"' not in shown.content.decode()  # not shown to another person
    done = thief.post(url, {**body, "description": "围墙开裂"})
    assert done.status_code == 302
    assert Hazard.objects.get(description="围墙开裂").photos.count() == 0
    body["idempotency_key"] = "k3"
    forged = thief.post(url, {**body, "kept_photo": ["x:y"], "description": "门卫缺岗"})
    assert forged.status_code == 302
