"""Single sign-on routes, included under /oidc/ only when it is configured (xiaoan/urls.py).
The names are mozilla-django-oidc's own: it reverses the callback by that name."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from xiaoan.accounts.oidc import CallbackView

urlpatterns = [
    path(
        "authenticate/",
        OIDCAuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
