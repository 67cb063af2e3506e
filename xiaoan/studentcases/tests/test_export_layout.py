"""The student cases' export as an office opens it, through LibreOffice (skipped, with the
reason, where it is not installed): names for the school's role, masked for a named person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.tests.libreoffice import render

pytestmark = pytest.mark.django_db


def test_it_renders_the_export_with_and_without_names(client_for, cases, tmp_path):
    files = {}
    for who in ("school_a_head", "school_a_officer"):
        response = client_for(who).get(reverse("studentcases:studentcase_export"))
        assert response.status_code == 200
        body = response.content
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        files[f"{who}.xlsx"] = body
    pages = render(files, tmp_path)
    head, officer = pages["school_a_head.xlsx"], pages["school_a_officer.xlsx"]
    assert head.pages >= 1 and officer.pages >= 1
    name = cases["a1"].student_name
    assert name in head.text
    assert name not in officer.text
