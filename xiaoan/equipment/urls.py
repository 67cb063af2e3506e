from xiaoan.core.register_views import register_urls
from xiaoan.equipment.registers import EQUIPMENT

app_name = "equipment"
urlpatterns = register_urls(EQUIPMENT)
