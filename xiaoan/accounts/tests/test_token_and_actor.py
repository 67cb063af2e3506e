import pytest
from rest_framework.test import APIClient

from xiaoan.accounts.models import User
from xiaoan.accounts.tokens import active_tokens
from xiaoan.core.history import entries_for

pytestmark = pytest.mark.django_db


def token_client(username: str) -> APIClient:
    client = APIClient()
    key = client.post(
        "/api/auth/token/", {"username": username, "password": "Xiaoan@2026"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_it_names_the_token_caller_in_history(demo, units):
    client = token_client("school_a_officer")
    response = client.post(
        "/api/users/",
        {
            "username": "new_teacher",
            "name": "新老师",
            "unit": units["梁子湖高级中学"].pk,
            "password": "Str0ng-pass!",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = User.objects.get(username="new_teacher")
    assert entries_for(created)[0].who == "李安办"


def test_it_ends_api_tokens_when_the_password_is_reset(demo, client_for):
    client = token_client("school_a_owner")
    assert client.get("/api/me/").status_code == 200
    owner = User.objects.get(username="school_a_owner")
    response = client_for("school_a_officer").post(f"/accounts/users/{owner.pk}/password/")
    assert response.status_code == 200
    assert not active_tokens(owner).exists()
    assert client.get("/api/me/").status_code in (401, 403)
