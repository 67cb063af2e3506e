"""`GET /api/dashboard/?unit=&sort=`: the figures of one unit, as the dashboard shows them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from xiaoan.core.api.views import with_errors
from xiaoan.reports import services


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | bool | type(None)) else str(value)


def as_data(board: services.Dashboard) -> dict:
    return {
        "unit": {"id": board.unit.pk, "name": board.unit.name},
        "subtree": board.subtree,
        "built_at": board.built_at.isoformat(),
        "sections": [
            {
                "key": s.key,
                "title": str(s.title),
                "figures": [
                    {
                        "key": f.key,
                        "label": str(f.label),
                        "value": _plain(f.value),
                        "bad": f.bad,
                        "url": f.url,
                    }
                    for f in s.figures
                ],
                "tables": [
                    {
                        "key": t["key"],
                        "title": str(t["title"]),
                        "columns": [str(c) for c in t["columns"]],
                        "rows": [[_plain(v) for v in row] for row in t["rows"]],
                    }
                    for t in s.tables
                ],
                "board": s.board,
            }
            for s in board.sections
        ],
        "ranking": {
            "columns": [
                {"key": f"{key}.{c.key}", "label": str(c.label), "weight": c.weight}
                for key, c in board.columns
            ],
            "sort": board.sort,
            "rank": board.rank,
            "rows": [
                {
                    "unit": {"id": r["unit"].pk, "name": r["unit"].name},
                    "values": r["values"],
                    "score": r["score"],
                    "worst": r["worst"],
                }
                for r in board.ranking
            ],
        },
    }


@extend_schema(
    parameters=[
        OpenApiParameter("unit", OpenApiTypes.INT, description="单位 id（默认：本人最高一级单位）"),
        OpenApiParameter("sort", OpenApiTypes.STR, description="排名依据：score 或某一列的 key"),
        OpenApiParameter(
            "rank",
            OpenApiTypes.STR,
            description="children：下一级单位（默认）；schools：全部下属学校",
        ),
    ],
    responses=with_errors({200: OpenApiTypes.OBJECT}),
    summary="一张图：单位的各项统计与下级排名",
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def dashboard(request):
    params = request.query_params
    board = services.dashboard(
        request.user,
        params.get("unit"),
        sort=params.get("sort", "score"),
        rank=params.get("rank", services.RANK_CHILDREN),
    )
    return Response(as_data(board))
