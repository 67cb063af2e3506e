from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core.register_views import register_urls

app_name = "certificates"
urlpatterns = register_urls(CERTIFICATES)
