"""The caller's own API tokens: list and revoke (new ones come from POST /api/auth/token/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from xiaoan.accounts import tokens
from xiaoan.accounts.models import ApiToken
from xiaoan.core.api.views import with_errors


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = fields


@extend_schema(responses=with_errors({200: ApiTokenSerializer(many=True)}))
@api_view(["GET"])
def token_list(request):
    """The caller's tokens that still work (revoked and expired ones are left out); the key
    itself is never shown again, only its first 8 characters."""
    return Response(ApiTokenSerializer(tokens.own_tokens(request.user), many=True).data)


@extend_schema(responses=with_errors({204: None}))
@api_view(["DELETE"])
def token_revoke(request, pk: int):
    """Revoke one of the caller's tokens; anyone else's token is 404."""
    tokens.revoke(request.user, pk)
    return Response(status=status.HTTP_204_NO_CONTENT)
