from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from xiaoan.accounts import mfa, services, tokens
from xiaoan.accounts.api.serializers import (
    AssignmentSerializer,
    CreatedUserSerializer,
    OneTimePasswordSerializer,
    OwnPasswordSerializer,
    RoleMfaSerializer,
    RoleSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from xiaoan.accounts.backends import login_name
from xiaoan.accounts.filtersets import RoleAssignmentFilterSet, UserFilterSet
from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.accounts.throttling import (
    PasswordRateThrottle,
    TokenRateThrottle,
    WriteRateThrottle,
    check_address,
    count_address_failure,
)
from xiaoan.core.api.views import ScopedViewSetMixin, validated, with_errors
from xiaoan.core.errors import Forbidden, ServiceError
from xiaoan.core.history import entries_for
from xiaoan.core.services import require_permission
from xiaoan.orgs.api.serializers import HistoryEntrySerializer


class UserViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    model = User
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    # A mobile number matches whole, through its keyed hash (the column is encrypted).
    search_fields = ["name", "username", "mobile_hash__matches"]
    ordering_fields = ["username", "name", "date_joined"]
    ordering = ["username"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "history": "view",
        "set_password": "change",
        "mfa_reset": "change",
    }

    def base_queryset(self):
        # Only the assignments the caller may see: no unit names from outside their scope.
        visible = RoleAssignment.objects.restrict(self.request.user).select_related("role", "unit")
        return User.objects.select_related("unit").prefetch_related(
            Prefetch("assignments", visible)
        )

    @extend_schema(
        request=UserCreateSerializer, responses=with_errors({201: CreatedUserSerializer})
    )
    def create(self, request, *args, **kwargs):
        """Create an account. Its one-time password is in the answer, once."""
        values = validated(request, UserCreateSerializer)
        user, password = services.create_user(request.user, values)
        body = CreatedUserSerializer(
            self.get_queryset().get(pk=user.pk), context={"one_time_password": password}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateSerializer, responses=with_errors({200: UserSerializer}))
    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        values = validated(request, UserUpdateSerializer, instance=user, partial=True)
        user = services.update_user(request.user, user, values)
        return Response(UserSerializer(self.get_queryset().get(pk=user.pk)).data)

    @extend_schema(request=None, responses=with_errors({200: OneTimePasswordSerializer}))
    @action(
        detail=True,
        methods=["post"],
        url_path="password",
        throttle_classes=[PasswordRateThrottle, WriteRateThrottle],
    )
    def set_password(self, request, pk=None):
        """Reset someone's password: the answer holds a one-time password, shown once, that
        the person must replace at the next login; they are told of the reset."""
        user = self.get_object()
        _user, password = services.reset_password(request.user, user)
        return Response({"one_time_password": password, "must_change_password": True})

    @extend_schema(request=None, responses=with_errors({204: None}))
    @action(
        detail=True,
        methods=["post"],
        url_path="mfa-reset",
        throttle_classes=[PasswordRateThrottle, WriteRateThrottle],
    )
    def mfa_reset(self, request, pk=None):
        """Remove someone's second factor (a lost phone): they enrol again at the next login
        where their role requires it, and are told."""
        from xiaoan.accounts.mfa import reset_mfa

        reset_mfa(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=with_errors({200: HistoryEntrySerializer(many=True)}))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return Response(HistoryEntrySerializer(entries_for(self.get_object()), many=True).data)


class RoleAssignmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    model = RoleAssignment
    serializer_class = AssignmentSerializer
    filterset_class = RoleAssignmentFilterSet
    ordering_fields = ["created_at"]
    ordering = ["id"]

    def base_queryset(self):
        return RoleAssignment.objects.select_related("user", "role", "unit")

    @extend_schema(responses=with_errors({201: AssignmentSerializer}))
    def create(self, request, *args, **kwargs):
        values = validated(request, AssignmentSerializer)
        assignment = services.grant_role(
            request.user,
            values["user"].pk,
            values["role"],
            values.get("unit"),
            values.get("include_descendants", True),
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.revoke_role(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleViewSet(viewsets.ReadOnlyModelViewSet):
    """The roles (permission sets) that can be granted."""

    queryset = Role.objects.filter(is_active=True)
    serializer_class = RoleSerializer
    pagination_class = None
    filterset_fields = ["is_platform"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_permission(request.user, Role, "view")  # as the role page: 403 without it

    @extend_schema(request=RoleMfaSerializer, responses=with_errors({200: RoleSerializer}))
    @action(detail=True, methods=["post"])
    def mfa(self, request, pk=None):
        """Whether holders of this role must use a second factor (security administrator)."""
        values = validated(request, RoleMfaSerializer)
        role = services.set_role_mfa(request.user, pk, values["require_mfa"])
        return Response(RoleSerializer(role).data)


@extend_schema(responses=with_errors({200: UserSerializer}))
@api_view(["GET"])
@permission_classes([IsAuthenticated])  # also while the password must change: it says so
def me(request):
    """The caller, with their role assignments."""
    user = (
        User.objects.prefetch_related(
            Prefetch("assignments", RoleAssignment.objects.select_related("role", "unit"))
        )
        .select_related("unit")
        .get(pk=request.user.pk)
    )
    return Response(UserSerializer(user).data)


@extend_schema(request=OwnPasswordSerializer, responses=with_errors({204: None}))
@api_view(["POST"])
@permission_classes([IsAuthenticated])  # the one call open while the password must change
@throttle_classes([PasswordRateThrottle, WriteRateThrottle])
def change_password(request):
    """Change one's own password (the current one is required)."""
    values = validated(request, OwnPasswordSerializer)
    services.change_own_password(request.user, values["old_password"], values["password"])
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    request=TokenRequestSerializer, responses=with_errors({200: TokenSerializer}), auth=[]
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenRateThrottle])
def obtain_token(request):
    """Exchange username (or mobile) and password — plus the `otp` code for anyone using a
    second factor — for a new API token. The key is returned only this once."""
    check_address(request)
    values = validated(request, TokenRequestSerializer)
    user = authenticate(
        request, username=login_name(values["username"]), password=values["password"]
    )
    if user is None:
        count_address_failure(request)
        if getattr(request, "axes_locked_out", False):
            raise Forbidden(_("连续多次登录失败，账号已被暂时锁定。请稍后再试，或联系管理员解锁。"))
        raise ServiceError(_("用户名或密码错误。"))
    if mfa.mfa_applies(user):
        _check_otp(request, user, values.get("otp", ""))
    token, key = tokens.create_token(user, values.get("name", ""))
    return Response(
        {
            "token": key,
            "id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        }
    )


def _check_otp(request, user: User, code: str) -> None:
    """A person with a second factor gets a token only with a valid code (400, field otp)."""
    if not mfa.is_enrolled(user):
        message = _("您的账号须使用双因素认证，请先登录网页绑定验证器。")
    elif not code.strip():
        message = _("请输入动态验证码。")
    else:
        mfa.verify_code(user, code, request, field="otp")
        return
    raise ServiceError(message, fields={"otp": [message]})
