from xiaoan.core.register_views import register_urls
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS

app_name = "traffic_agreements"
urlpatterns = register_urls(TRAFFIC_AGREEMENTS)
