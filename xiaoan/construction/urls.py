from xiaoan.construction.registers import PROJECTS
from xiaoan.core.register_views import register_urls

app_name = "construction_projects"
urlpatterns = register_urls(PROJECTS)
