"""Staff endpoints for applications for disclosure: register one from another intake system, read its status.

Token authentication only (``Authorization: Token …``; tokens are issued in the admin), and only for the
request handlers of the organisation concerned. The applicant's personal data is accepted here but never
returned: the answer carries the tracking code, dates, status and outcome.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from gongkai.orgs.models import Organization
from gongkai.requests import auth, outcomes, services
from gongkai.requests.models import ApplicantKind, Channel, Delivery, DisclosureRequest, FormWanted


class RequestIn(serializers.Serializer):
    organization = serializers.SlugField(help_text="受理机关的 slug / the agency's slug")
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField(help_text="收到申请之日（条例第三十一条）/ day of receipt")
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=300)
    submission_key = serializers.CharField(
        required=False,
        max_length=64,
        help_text="来源系统的唯一编号，重复提交只登记一次 / the source system's id: sent twice, registered once",
    )
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    identity_number = serializers.CharField(max_length=30)
    contact_person = serializers.CharField(required=False, allow_blank=True, max_length=100)
    phone = serializers.CharField(max_length=30)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=6)
    description = serializers.CharField(max_length=5000)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    form_wanted = serializers.ChoiceField(choices=FormWanted.choices)
    delivery = serializers.ChoiceField(choices=Delivery.choices)


class RequestStatus(serializers.Serializer):
    tracking_code = serializers.CharField()
    organization = serializers.CharField(source="organization.slug")
    channel = serializers.CharField()
    received_on = serializers.DateField()
    status = serializers.CharField(help_text="open | awaiting_correction | paused | closed")
    due_on = serializers.DateField(allow_null=True, help_text="答复期限 / the reply deadline")
    due_provisional = serializers.BooleanField(help_text="期限跨入尚未录入节假日的年份 / in a year not yet entered")
    outcome = serializers.CharField(allow_blank=True, help_text="表三的项，如 3.4 / the leaf of table 三")
    outcome_label = serializers.CharField(allow_blank=True)
    closed_on = serializers.DateField(allow_null=True)
    delivered_on = serializers.DateField(allow_null=True)


def _status(application: DisclosureRequest) -> dict:
    clock = services.clock_of(application)
    if application.is_closed:
        state = "closed"
    elif clock.awaiting_correction:
        state = "awaiting_correction"
    elif clock.paused:
        state = "paused"
    else:
        state = "open"
    outcome = outcomes.BY_CODE.get(application.outcome)
    return RequestStatus(
        {
            "tracking_code": application.tracking_code,
            "organization": application.organization,
            "channel": application.channel,
            "received_on": application.received_on,
            "status": state,
            "due_on": clock.due,
            "due_provisional": clock.provisional,
            "outcome": application.outcome,
            "outcome_label": outcome.full_label if outcome else "",
            "closed_on": application.closed_on,
            "delivered_on": application.delivered_on,
        }
    ).data


@extend_schema(request=RequestIn, responses={201: RequestStatus, 200: RequestStatus}, operation_id="requests_create")
@api_view(["POST"])
@authentication_classes([TokenAuthentication])
@permission_classes([IsAuthenticated])
def request_create(request):
    """登记一件政府信息公开申请 / Register an application received through another system."""
    data = RequestIn(data=request.data)
    data.is_valid(raise_exception=True)
    values = dict(data.validated_data)
    organization = get_object_or_404(Organization.objects.active(), slug=values.pop("organization"))
    if not auth.can_handle(request.user, organization):
        raise PermissionDenied("只有本机关的依申请公开经办人可以登记申请 / only a request handler of the agency")
    key = values.pop("submission_key", None)
    if key:
        existing = DisclosureRequest.objects.filter(submission_key=f"api:{key}", organization=organization).first()
        if existing:
            return Response(_status(existing), status=status.HTTP_200_OK)
    try:
        application = services.register(
            organization=organization,
            by=request.user,
            channel=values.pop("channel"),
            received_on=values.pop("received_on"),
            evidence=values.pop("evidence", ""),
            submission_key=f"api:{key}" if key else None,
            **values,
        )
    except services.RequestInvalid as invalid:
        raise ValidationError({name: [message] for name, message in invalid.errors.items()}) from None
    except services.RequestError as refused:
        raise PermissionDenied(str(refused)) from None
    return Response(_status(application), status=status.HTTP_201_CREATED)


@extend_schema(responses=RequestStatus, operation_id="requests_retrieve")
@api_view(["GET"])
@authentication_classes([TokenAuthentication])
@permission_classes([IsAuthenticated])
def request_status(request, tracking_code: str):
    """一件申请的办理状态和答复期限 / The status and reply deadline of an application."""
    application = get_object_or_404(
        DisclosureRequest.objects.select_related("organization").prefetch_related("events"),
        tracking_code=tracking_code.upper(),
    )
    if not auth.can_handle(request.user, application.organization):
        raise PermissionDenied("只有本机关的依申请公开经办人可以查看 / only a request handler of the agency")
    return Response(_status(application))
