"""Security headers on every response, whatever produced it (a route, a static file, an error).

The CSP allows the page's own scripts and styles only (no inline code, no other origin), and no
framing. A file a user uploaded (not a PDF) is served as an attachment under a CSP that runs
nothing, so an uploaded .html page can never run as this site.
"""

from __future__ import annotations

from api.limits import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# A document served back: nothing runs in it; a PDF may still be shown by the browser's viewer.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox"
PDF_CSP = "default-src 'self'; script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def csp_for(path: str, content_type: bytes) -> bytes:
    if path.startswith("/api/documents/") and path.endswith("/file"):
        return (PDF_CSP if content_type.startswith(b"application/pdf") else FILE_CSP).encode()
    return PAGE_CSP.encode()


class SecurityHeaders:
    """ASGI middleware adding the headers above and dropping any ``server`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in
                           (b"server", b"content-security-policy", *(name for name, _ in COMMON))]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                headers += [*COMMON, (b"content-security-policy", csp_for(path, content_type))]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
