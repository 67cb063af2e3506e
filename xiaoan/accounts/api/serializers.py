from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.names import normalize_name


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = [
            "id",
            "code",
            "name",
            "description",
            "permissions",
            "is_platform",
            "is_builtin",
            "is_active",
            "require_mfa",
        ]
        read_only_fields = fields


class RoleMfaSerializer(serializers.Serializer):
    require_mfa = serializers.BooleanField()


class AssignmentSerializer(serializers.ModelSerializer):
    role_code = serializers.CharField(source="role.code", read_only=True)
    role_name = serializers.CharField(source="role.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    user_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "user_name",
            "role",
            "role_code",
            "role_name",
            "unit",
            "unit_name",
            "include_descendants",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "user": {"queryset": User.objects.all()},
            "unit": {"required": False, "allow_null": True},
        }
        # Duplicates are refused by the service after its scope checks (409); an unscoped
        # unique-together check here would tell anyone who holds which role where.
        validators: list = []


class UserSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "mobile",
            "email",
            "unit",
            "unit_name",
            "position",
            "is_active",
            "must_change_password",
            "last_login",
            "date_joined",
            "assignments",
        ]
        read_only_fields = [
            "id",
            "must_change_password",
            "last_login",
            "date_joined",
            "assignments",
        ]

    def get_assignments(self, obj: User) -> list[dict]:
        return [
            {
                "id": a.id,
                "role": a.role.code,
                "role_name": a.role.name,
                "unit": a.unit_id,
                "unit_name": a.unit.name if a.unit_id else None,
                "include_descendants": a.include_descendants,
            }
            for a in obj.assignments.all()
        ]


class UniqueMobileMixin:
    """The mobile column is encrypted, so its uniqueness is checked through mobile_hash."""

    instance: User | None

    def validate_mobile(self, value: str | None) -> str | None:
        if value:
            taken = User.objects.filter(mobile_hash__matches=value)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(_("该手机号码已被使用。"))
        return value


class NormalisedNamesMixin:
    """Names are normalised (NFKC, invisible characters removed) before they are validated,
    as the service stores them: a zero-width space is no reason for a refusal."""

    NAME_FIELDS = ("username", "name", "position")

    def to_internal_value(self, data):
        if hasattr(data, "items"):
            data = {
                key: normalize_name(value)
                if key in self.NAME_FIELDS and isinstance(value, str)
                else value
                for key, value in data.items()
            }
        return super().to_internal_value(data)


class UserCreateSerializer(NormalisedNamesMixin, UniqueMobileMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "mobile",
            "email",
            "unit",
            "position",
            "is_active",
        ]
        extra_kwargs = {"unit": {"required": True, "allow_null": True}}


class UserUpdateSerializer(NormalisedNamesMixin, UniqueMobileMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["name", "mobile", "email", "unit", "position", "is_active"]


class OwnPasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True, trim_whitespace=False)
    password = serializers.CharField(write_only=True, trim_whitespace=False)


class OneTimePasswordSerializer(serializers.Serializer):
    one_time_password = serializers.CharField(
        help_text="一次性临时密码，只显示这一次；本人下次登录时必须修改"
    )
    must_change_password = serializers.BooleanField()


class CreatedUserSerializer(UserSerializer):
    one_time_password = serializers.SerializerMethodField(
        help_text="一次性临时密码，只显示这一次；本人首次登录时必须修改"
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "one_time_password"]

    def get_one_time_password(self, obj) -> str:
        return self.context.get("one_time_password", "")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="用户名或手机号码")
    password = serializers.CharField()
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="动态验证码（6位）或恢复码；启用了双因素认证的账号必填",
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="令牌名称，便于辨认"
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌，仅此一次返回，请妥善保存")
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
