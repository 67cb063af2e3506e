from django.conf import settings
from django.urls import include, path

from xiaoan.core.metrics import metrics
from xiaoan.core.views import healthz, readyz

urlpatterns = [
    path("", include("xiaoan.core.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("accounts/", include("xiaoan.accounts.urls")),
    path("units/", include("xiaoan.orgs.urls")),
    path("hazards/", include("xiaoan.hazards.urls")),
    path("inspections/", include("xiaoan.inspections.urls")),
    path("duties/", include("xiaoan.duties.urls")),
    path("plans/", include("xiaoan.plans.urls")),
    path("reports/", include("xiaoan.reports.urls")),
    path("indicators/", include("xiaoan.indicators.urls")),
    path("chemicals/", include("xiaoan.chemicals.urls")),
    path("notifications/", include("xiaoan.notifications.urls")),
    path("audit/", include("xiaoan.audit.urls")),
    path("buildings/", include("xiaoan.buildings.urls")),
    path("equipment/", include("xiaoan.equipment.urls")),
    path("fire-assets/", include("xiaoan.fireassets.urls")),
    path("certificates/", include("xiaoan.certificates.urls")),
    path("hot-work/", include("xiaoan.hotwork.urls")),
    path("emergency/", include("xiaoan.emergency.urls")),
    path("cameras/", include("xiaoan.cameras.urls")),
    path("waters/", include("xiaoan.waters.urls")),
    path("campus-vehicles/", include("xiaoan.vehicles.urls")),
    path("traffic-agreements/", include("xiaoan.traffic.urls")),
    path("buses/", include("xiaoan.buses.urls")),
    path("events/", include("xiaoan.events.urls")),
    path("construction-projects/", include("xiaoan.construction.urls")),
    path("security-postures/", include("xiaoan.security.urls")),
    path("lawsafety/", include("xiaoan.lawsafety.urls")),
    path("training/", include("xiaoan.training.urls")),
    path("activities/", include("xiaoan.activities.urls")),
    path("drills/", include("xiaoan.drills.urls")),
    path("student-cases/", include("xiaoan.studentcases.urls")),
    path("incidents/", include("xiaoan.incidents.urls")),
    path("closure/", include("xiaoan.closure.urls")),
    path("channels/", include("xiaoan.channels.urls")),
    path("alerts/", include("xiaoan.alerts.urls")),
    path("accountability/", include("xiaoan.accountability.urls")),
    path("report-calls/", include("xiaoan.reportcalls.urls")),
    path("public-reports/", include("xiaoan.publicreports.urls")),
    # 群众举报's public pages: no account (xiaoan.publicreports.public_views).
    path("p/", include("xiaoan.publicreports.public_urls")),
    path("risks/", include("xiaoan.risks.urls")),
    path("api/", include("xiaoan.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded files (photos, evidence) are served only through views that check who may see
# them; MEDIA_ROOT is never exposed as such, not even in development.

# Single sign-on (OpenID Connect) only when configured (XIAOAN_OIDC_*): otherwise /oidc/ is 404.
if settings.XIAOAN_OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("xiaoan.accounts.oidc_urls")))
