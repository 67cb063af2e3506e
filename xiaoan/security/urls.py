from xiaoan.core.register_views import register_urls
from xiaoan.core.workflow_pages import action_urls
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.views import PostureActionView

app_name = "security"
urlpatterns = [*register_urls(SECURITY_POSTURES), *action_urls(PostureActionView)]
