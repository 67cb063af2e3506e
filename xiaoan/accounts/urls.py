from django.contrib.auth import views as auth_views
from django.urls import path

from xiaoan.accounts import mfa_views, role_views, token_views, views
from xiaoan.audit.views import OldAuditLogRedirect

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.MyPasswordView.as_view(), name="my_password"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_change"),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/assign/", views.AssignmentCreateView.as_view(), name="roleassignment_add"),
    path(
        "assignments/<int:pk>/delete/",
        views.AssignmentDeleteView.as_view(),
        name="roleassignment_delete",
    ),
    path("roles/", views.RoleListView.as_view(), name="role_list"),
    path("roles/new/", role_views.RoleEditView.as_view(), name="role_add"),
    path("roles/<int:pk>/edit/", role_views.RoleEditView.as_view(), name="role_change"),
    path("roles/<int:pk>/mfa/", role_views.RoleMfaView.as_view(), name="role_mfa"),
    path("audit/", OldAuditLogRedirect.as_view(), name="auditlog"),
    path("mfa/", mfa_views.MfaManageView.as_view(), name="mfa_manage"),
    path("mfa/verify/", mfa_views.MfaVerifyView.as_view(), name="mfa_verify"),
    path("mfa/setup/", mfa_views.MfaSetupView.as_view(), name="mfa_setup"),
    path("users/<int:pk>/mfa-reset/", mfa_views.MfaResetView.as_view(), name="user_mfa_reset"),
    path("tokens/", token_views.TokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", token_views.TokenRevokeView.as_view(), name="token_revoke"),
]
