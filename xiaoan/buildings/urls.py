from xiaoan.buildings.registers import BUILDINGS
from xiaoan.core.register_views import register_urls

app_name = "buildings"
urlpatterns = register_urls(BUILDINGS)
