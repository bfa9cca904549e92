"""The 双公示 column of the credit site: search, one page per record, open data. Public records only, masked.

Search takes a name (any substring, traditional or simplified characters), or an exact USCC or decision
number, and filters by authority and decision date. Open data is every public record of a type as CSV, JSON or
XLSX, streamed, with personal fields masked and every cell that a spreadsheet would run as a formula
neutralised (NOTES-performance.md: a leading ``= + - @`` gets a ``'``).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.catalog.query import parse_page
from gongkai.credit import publicity, search
from gongkai.credit.models import RECORD_MODELS, RecordType
from gongkai.credit.rows import compact, parse_date
from gongkai.credit.standard import STANDARDS
from gongkai.lib.text import normalize_text, visible_text
from gongkai.portal.models import PageGeneration
from gongkai.portal.pagecache import cached_page

PER_PAGE = 20
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _record_type(value: str) -> str:
    return value if value in RECORD_MODELS else RecordType.LICENCE


def safe_cell(value: str) -> str:
    """A cell no spreadsheet will run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def find(record_type: str, params) -> tuple[search.Found, list, dict]:
    """The page of public records the search form's parameters ask for, the records, and the errors by
    parameter. A query that is exactly a USCC or a decision number finds those records; any other is a name."""
    model = RECORD_MODELS[record_type]
    number, page_error = parse_page(params)
    errors = {"page": page_error} if page_error else {}
    queryset = model.objects.public()
    # Parameters without invisible characters (a zero-width space pasted with a name); a NUL never gets here
    # (gongkai.lib.nul), as PostgreSQL refuses one in a look-up.
    authority = compact(visible_text(params.get("authority") or "")).upper()
    if authority:
        queryset = queryset.filter(authority_uscc=authority)
    days = {}
    for name, lookup in (("from", "decision_date__gte"), ("to", "decision_date__lte")):
        text = params.get(name) or ""
        if text:
            days[name] = parse_date(text)
            if days[name] is None:
                errors[name] = f"日期“{text}”无效 / the date '{text}' is not valid"
            else:
                queryset = queryset.filter(**{lookup: days[name]})
    q = visible_text(params.get("q") or "")[:100]
    exact = queryset.filter(Q(subject_uscc=compact(q).upper()) | Q(decision_number=q)) if q else None
    if q and not exact.exists():
        found = search.name_page(
            queryset, normalize_text(q), authority=authority, start=days.get("from"), end=days.get("to"),
            number=number, per_page=PER_PAGE,
        )  # fmt: skip
    else:
        found = search.list_page(exact if q else queryset, number=number, per_page=PER_PAGE)
    in_order = model.objects.in_bulk(found.ids)
    return found, [in_order[pk] for pk in found.ids if pk in in_order], errors


@cached_page(area=PageGeneration.CREDIT)
def records(request: HttpRequest) -> HttpResponse:
    record_type = _record_type(request.GET.get("type", ""))
    found, rows, errors = find(record_type, request.GET)
    return render(
        request,
        "credit/records.html",
        {"record_type": record_type, "rows": rows, "pager": found.pager, "errors": errors, "params": request.GET},
    )


@cached_page(area=PageGeneration.CREDIT)
def detail(request: HttpRequest, record_type: str, pk: int) -> HttpResponse:
    """One public record; 410 with a short notice, naming nobody, once a penalty's publicity has ended."""
    if record_type not in RECORD_MODELS:
        raise Http404
    record = get_object_or_404(RECORD_MODELS[record_type].objects.shown(), pk=pk)
    if not record.is_public:
        return render(request, "credit/ended.html", {"record": record, "record_type": record_type}, status=410)
    standard = STANDARDS[record_type]
    shown = publicity.masked(record.data, standard)
    if record_type == RecordType.PENALTY and record.publicity_max_until:
        shown["CF_GSJZQ"] = record.publicity_max_until.isoformat()  # as counted here (STATUTES §3.5)
    rows = [(f.label, shown.get(f.code, "")) for f in standard.national_fields if shown.get(f.code)]
    return render(request, "credit/detail.html", {"record": record, "record_type": record_type, "rows": rows})


def _export_rows(record_type: str):
    fields = STANDARDS[record_type].national_fields
    yield [f.label for f in fields]
    for record in (
        RECORD_MODELS[record_type].objects.public().order_by("-decision_date", "-id").iterator(chunk_size=2000)
    ):
        shown = publicity.masked(record.data, STANDARDS[record_type])
        yield [safe_cell(shown.get(f.code, "")) for f in fields]


def _csv_stream(record_type: str):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in _export_rows(record_type):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _json_stream(record_type: str):
    rows = _export_rows(record_type)
    labels = next(rows)
    codes = [f.code for f in STANDARDS[record_type].national_fields]
    yield '{"fields": ' + json.dumps(dict(zip(codes, labels, strict=True)), ensure_ascii=False) + ', "records": ['
    for number, row in enumerate(rows):
        yield ("," if number else "") + json.dumps(dict(zip(codes, row, strict=True)), ensure_ascii=False)
    yield "]}"


def open_data(request: HttpRequest, record_type: str, fmt: str) -> HttpResponse:
    """开放数据: every public record of a type, masked and safe to open in a spreadsheet."""
    if record_type not in RECORD_MODELS or fmt not in ("csv", "json", "xlsx"):
        raise Http404
    name = f"{record_type}-{datetime.date.today().isoformat()}.{fmt}"  # noqa: DTZ011 - a file name only
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(record_type), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = StreamingHttpResponse(_json_stream(record_type), content_type="application/json")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)  # rows go straight to a temporary file, memory stays flat
        sheet = workbook.create_sheet("data")
        for row in _export_rows(record_type):
            sheet.append(row)
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it, and the file goes with it
        workbook.save(out)
        out.seek(0)
        response = FileResponse(out, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
