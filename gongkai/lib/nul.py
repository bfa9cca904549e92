"""A request whose address or form carries a NUL character is refused before any view reads it.

PostgreSQL can neither store nor compare text holding a NUL (U+0000): a look-up with one raises an error, which the
reader would see as a server error (SQLite accepts it, so only PostgreSQL showed it — schemathesis found it twice).
No address, parameter name or value of this site means a NUL, so such a request gets 400 with a bilingual message
naming the path or the parameter, whichever view it was meant for. A form's fields (a POST body, urlencoded or
multipart) are read the same way, since a few views read a field without a form; JSON bodies are left to the API's
serializers, whose CharField refuses a NUL.
"""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"


def nul_in_request(request) -> str | None:
    """What in the request's path, query string or form holds a NUL, as a bilingual message; None if nothing does."""
    if NUL in request.path:
        return "地址的路径含有空字符（NUL） / the path contains a NUL character"
    fields = request.POST.lists() if request.method == "POST" else ()
    for chinese, english, pairs in (("参数", "parameter", request.GET.lists()), ("表单字段", "form field", fields)):
        for name, values in pairs:
            if NUL in name or any(NUL in value for value in values):
                shown = name.replace(NUL, "\\0")
                return f"{chinese}“{shown}”含有空字符（NUL） / the {english} '{shown}' contains a NUL character"
    return None


class RefuseNulMiddleware:
    """Answers 400 to a request holding a NUL (see the module), in JSON under /api/."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        message = nul_in_request(request)
        if message is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
