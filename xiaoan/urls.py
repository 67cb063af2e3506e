from django.conf import settings
from django.urls import include, path
from django.views.static import serve

from xiaoan.core.views import healthz

urlpatterns = [
    path("", include("xiaoan.core.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("xiaoan.accounts.urls")),
    path("units/", include("xiaoan.orgs.urls")),
    path("hazards/", include("xiaoan.hazards.urls")),
    path("inspections/", include("xiaoan.inspections.urls")),
    path("duties/", include("xiaoan.duties.urls")),
    path("plans/", include("xiaoan.plans.urls")),
    path("notifications/", include("xiaoan.notifications.urls")),
    path("api/", include("xiaoan.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
