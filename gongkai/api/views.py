from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.decorators import api_view
from rest_framework.response import Response

from gongkai.api.serializers import AddWorkingDaysQuery, DueDateSerializer, OrganizationSerializer
from gongkai.orgs.models import Organization
from gongkai.workdays.calendar import add_working_days


class OrganizationList(generics.ListAPIView):
    """The organisations hosted on this installation (public facts only)."""

    serializer_class = OrganizationSerializer
    queryset = Organization.objects.active().select_related("parent")
    pagination_class = None


@extend_schema(parameters=[AddWorkingDaysQuery], responses=DueDateSerializer)
@api_view(["GET"])
def working_days_add(request):
    """The N-th working day after a start day (条例第三十三条 counting: the start day is not counted)."""
    query = AddWorkingDaysQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    start, days = query.validated_data["start"], query.validated_data["days"]
    due = add_working_days(start, days)
    return Response(
        DueDateSerializer(
            {
                "start": start,
                "days": days,
                "date": due.date,
                "provisional": due.provisional,
                "missing_years": list(due.missing_years),
            }
        ).data
    )
