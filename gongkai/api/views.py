from django.db.models import prefetch_related_objects
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from gongkai.api.serializers import (
    AddWorkingDaysQuery,
    DueDateSerializer,
    OrganizationSerializer,
    PublicationDetailSerializer,
    PublicationListSerializer,
)
from gongkai.catalog import query
from gongkai.catalog.models import Publication
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


def _page_link(request, page: int | None, cursor: query.Cursor | None = None) -> str | None:
    """The address of ``page`` of this list, carrying ``cursor`` (see gongkai.catalog.query) when there is one."""
    if page is None:
        return None
    params = request.query_params.copy()
    params["page"] = str(page)
    for name in ("after", "before"):
        params.pop(name, None)
    if cursor is not None:
        params[cursor.parameter] = str(cursor)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="全文检索 / full-text search (traditional characters work)"),
    OpenApiParameter("publisher", OpenApiTypes.STR, description="发布机构的站点路径 / publisher slug (repeatable)"),
    OpenApiParameter("column", OpenApiTypes.STR, description="栏目代码（含下级）/ column code, with its sub-columns"),
    OpenApiParameter("topic", OpenApiTypes.INT, description="主题分类 / topic id"),
    OpenApiParameter("genre", OpenApiTypes.INT, description="体裁分类 / genre id"),
    OpenApiParameter("year", OpenApiTypes.INT, description="发布年份 / year of publication"),
    OpenApiParameter("page", OpenApiTypes.INT, description="页码 / page number"),
    OpenApiParameter(
        "after", OpenApiTypes.STR, description="翻页位置，取自 next 链接 / position from the `next` link (`page-id`)"
    ),
    OpenApiParameter(
        "before", OpenApiTypes.STR, description="翻页位置，取自 previous 链接 / position from the `previous` link"
    ),
]


@extend_schema(
    operation_id="publications_list",
    parameters=FILTER_PARAMETERS,
    responses=inline_serializer(
        "PublicationPage",
        {
            "count": serializers.IntegerField(help_text="capped at 10000 / 最多计到10000"),
            "count_capped": serializers.BooleanField(help_text="true means 10000+ / 为 true 表示超过10000"),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "filter_errors": serializers.DictField(child=serializers.CharField()),
            "results": PublicationListSerializer(many=True),
        },
    ),
)
@api_view(["GET"])
def publication_list(request):
    """Published government information, filtered like the catalogue; with `q`, ranked by full-text search."""
    filters = query.parse_filters(request.query_params)
    page, page_error = query.parse_page(request.query_params)
    errors = dict(filters.errors, **({"page": page_error} if page_error else {}))
    text = request.query_params.get("q", "").strip()
    cursors = {}
    if text:
        from gongkai.search.services import search_publications

        found = search_publications(text, filters, page=page, per_page=query.PER_PAGE)
        rows = [hit.publication for hit in found.hits]
        count, capped, has_next = found.count, found.count_capped, found.has_next
    else:
        cursor, cursor_errors = query.parse_cursor(request.query_params, page)
        errors.update(cursor_errors)
        result = query.catalog_page(filters.apply(Publication.objects.published()), page, cursor=cursor)
        rows, pager = result.rows, result.pager
        if result.error:
            errors["page"], page = result.error, pager.number
        count, capped, has_next = pager.count, pager.count_capped, pager.has_next
        cursors = {"next": pager.cursor_to(page + 1), "previous": pager.cursor_to(page - 1)}
    prefetch_related_objects(rows, "topic", "genre")
    return Response(
        {
            "count": count,
            "count_capped": capped,
            "next": _page_link(request, page + 1 if has_next else None, cursors.get("next")),
            "previous": _page_link(request, page - 1 if page > 1 else None, cursors.get("previous")),
            "filter_errors": errors,
            "results": PublicationListSerializer(rows, many=True, context={"request": request}).data,
        }
    )


@extend_schema(responses=PublicationDetailSerializer)
@api_view(["GET"])
def publication_detail(request, id: int):  # the path parameter is {id} in the OpenAPI document
    """One published item with its metadata, sanitised body and attachments. Withdrawn items answer 410."""
    publication = Publication.objects.select_related("publisher", "column", "topic", "genre").filter(pk=id).first()
    if publication is None or publication.status not in (Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN):
        raise Http404
    if publication.status == Publication.Status.WITHDRAWN:
        return Response(
            {"detail": "该信息已撤回 / this publication has been withdrawn", "index_no": publication.index_no},
            status=410,
        )
    return Response(PublicationDetailSerializer(publication, context={"request": request}).data)
