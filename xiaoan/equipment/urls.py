from django.urls import path

from xiaoan.core.register_views import register_urls
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.views import RecordInspectionView

app_name = "equipment"
urlpatterns = [
    *register_urls(EQUIPMENT),
    path("<int:pk>/inspection/", RecordInspectionView.as_view(), name="equipment_inspection"),
]
