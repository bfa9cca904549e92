"""Response headers that Django 5.2 does not set itself: the Content-Security-Policy and the Permissions-Policy.

The policies are settings (`CONTENT_SECURITY_POLICY`, `PERMISSIONS_POLICY`), read from the environment. A view that
needs its own policy sets the header itself and keeps it (an attachment shown in the browser is sandboxed).
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
