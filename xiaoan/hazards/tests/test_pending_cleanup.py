"""Photos kept for a refused 随手拍 form that nobody sent again are deleted after a day by
a nightly job; those of a form still open stay usable."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from xiaoan.core import pending
from xiaoan.core.tasks import clean_pending_photos
from xiaoan.hazards.tests.pages_support import jpeg

SCHOOL = "梁子湖高级中学"


def _refused_report(client, units) -> list[str]:
    url = reverse("hazards:hazard_report")
    refused = client.post(url, {"unit": units[SCHOOL].pk, "photos": [jpeg(), jpeg("b.jpg")]})
    assert refused.status_code == 400
    return re.findall(r'name="kept_photo" value="([^"]+)"', refused.content.decode())


def _age(path: Path, days: float) -> None:
    stamp = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (stamp, stamp))


def test_it_deletes_abandoned_pending_photos_and_keeps_fresh_ones(units, client_for, persona):
    client = client_for("school_a_officer")
    tokens = _refused_report(client, units)
    assert len(tokens) == 2
    folder = Path(settings.MEDIA_ROOT) / "pending" / str(persona("school_a_officer").pk)
    old, fresh = sorted(folder.iterdir())
    _age(old, 1.5)
    _age(fresh, 0.5)

    assert clean_pending_photos.call_local() == 1

    assert [p.name for p in folder.iterdir()] == [fresh.name]
    officer = persona("school_a_officer")
    assert len(pending.valid(officer, tokens)) == 1  # the form still has the fresh one


def test_it_removes_the_folder_of_an_uploader_with_nothing_left(units, client_for, persona):
    _refused_report(client_for("school_a_officer"), units)
    folder = Path(settings.MEDIA_ROOT) / "pending" / str(persona("school_a_officer").pk)
    for path in folder.iterdir():
        _age(path, 2)

    assert pending.clean_abandoned() == 2

    assert not folder.exists()
    assert pending.clean_abandoned() == 0  # nothing left: a second run is harmless


def test_it_does_nothing_when_no_photo_was_ever_kept():
    assert pending.clean_abandoned() == 0
