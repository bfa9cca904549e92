"""双公示 over the API: public, masked lists of licences and penalties; submissions with an organisation's key."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.decorators import api_view, authentication_classes, parser_classes, permission_classes
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from gongkai.credit import publicity, services
from gongkai.credit.models import SubmissionToken
from gongkai.credit.standard import STANDARDS
from gongkai.credit.views import find


class SubmissionTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` with an organisation's `SubmissionToken` (not a person's)."""

    keyword = b"token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("密钥格式错误 / the Authorization header is malformed")
        key = parts[1].decode("ascii", errors="replace")
        token = SubmissionToken.objects.select_related("organization").filter(key=key, revoked=False).first()
        if token is None:
            raise AuthenticationFailed("密钥无效或已停用 / unknown or revoked key")
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return "Token"


class SubmissionTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document describes the organisation's key."""

    target_class = SubmissionTokenAuthentication
    name = "submissionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <报送密钥> / Token <the organisation's submission key>",
        }


class HasSubmissionToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, SubmissionToken)


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="名称（简繁均可）、统一社会信用代码或决定文书号"),
    OpenApiParameter("authority", OpenApiTypes.STR, description="决定机关统一社会信用代码"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="决定日期自"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="决定日期至"),
    OpenApiParameter("page", OpenApiTypes.INT),
]
RECORDS = inline_serializer(
    "CreditRecords",
    {
        "count": serializers.IntegerField(help_text="符合条件的记录数，最多计到10000 / matches, counted up to 10,000"),
        "count_capped": serializers.BooleanField(help_text="多于 count 条 / more than count"),
        "page": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "results": serializers.ListField(
            child=serializers.DictField(), help_text="字段代码 → 值（个人证件号码已遮蔽）"
        ),
    },
)


def _records(request, record_type: str) -> Response:
    found, rows, errors = find(record_type, request.query_params)
    if errors:
        raise ValidationError(errors)
    standard = STANDARDS[record_type]
    return Response(
        {
            "count": found.pager.count,
            "count_capped": found.pager.count_capped,
            "page": found.pager.number,
            "has_next": found.pager.has_next,
            "results": [{"id": r.pk, **publicity.masked(r.data, standard)} for r in rows],
        }
    )


@extend_schema(parameters=FILTERS, responses=RECORDS, operation_id="credit_licences_list")
@api_view(["GET"])
def licences(request):
    """公示中的行政许可 / Public administrative licences (masked)."""
    return _records(request, "licence")


@extend_schema(parameters=FILTERS, responses=RECORDS, operation_id="credit_penalties_list")
@api_view(["GET"])
def penalties(request):
    """公示中的行政处罚 / Public administrative penalties (masked)."""
    return _records(request, "penalty")


REPORT = inline_serializer(
    "SubmissionReport",
    {
        "rows": serializers.IntegerField(),
        "accepted": serializers.IntegerField(),
        "rejected": serializers.IntegerField(),
        "errors": serializers.ListField(child=serializers.DictField()),
    },
)


def _flag(request, name: str) -> bool:
    return str(request.data.get(name, "")).lower() in ("1", "true", "yes")


@extend_schema(
    request={"multipart/form-data": inline_serializer(
        "SubmissionUpload",
        {"file": serializers.FileField(), "dry_run": serializers.BooleanField(required=False),
         "accept_valid": serializers.BooleanField(required=False)},
    )},
    responses={201: REPORT, 200: REPORT, 422: REPORT},
    operation_id="credit_submissions_create",
)  # fmt: skip
@api_view(["POST"])
@authentication_classes([SubmissionTokenAuthentication])
@permission_classes([HasSubmissionToken])
@parser_classes([MultiPartParser])
def submissions(request):
    """报送一个文件（CSV或XLSX）/ Submit a file of licences or penalties with the organisation's key."""
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": ["请上传文件 / a file is required"]})
    _submission, report = services.import_file(
        upload.file,
        upload.name,
        organization=request.auth.organization,
        channel="api",
        dry_run=_flag(request, "dry_run"),
        accept_valid=_flag(request, "accept_valid"),
    )
    if _flag(request, "dry_run"):
        code = status.HTTP_200_OK
    else:
        code = status.HTTP_201_CREATED if report.accepted else status.HTTP_422_UNPROCESSABLE_ENTITY
    return Response(report.as_json(), status=code)
