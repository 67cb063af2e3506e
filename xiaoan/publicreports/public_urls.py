"""The public pages (no account): /p/<token>/ and /p/receipt/."""

from django.urls import path

from xiaoan.publicreports import public_views

app_name = "public"
urlpatterns = [
    path("receipt/", public_views.ReceiptView.as_view(), name="receipt"),
    path("<str:token>/", public_views.PublicReportView.as_view(), name="report"),
]
