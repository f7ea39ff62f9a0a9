"""/docs without the internet: Swagger UI's files come from the swagger-ui-py package.

FastAPI's own /docs page loads Swagger UI from a CDN and starts it with an inline script, which
both an offline machine and the site's CSP (no inline scripts) would stop. This page loads the
packaged files from /docs/assets and starts Swagger UI from a script file of its own.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

# Swagger UI 5 (swagger-ui-py); the older swagger-ui-bundle package's 4.x cannot read OpenAPI 3.1.
ASSETS = Path(swagger_ui.__file__).parent / "static"
NEEDED = ("swagger-ui.css", "swagger-ui-bundle.js")

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — API docs</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

START = """window.ui = SwaggerUIBundle({
  url: '%s', dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout',
});
"""


def add_docs(app: FastAPI) -> None:
    """Serve /docs from the packaged Swagger UI; call before any catch-all mount."""
    missing = [name for name in NEEDED if not (ASSETS / name).is_file()]
    if missing:
        raise RuntimeError(f"swagger-ui-py is missing {', '.join(missing)} in {ASSETS}")
    router = APIRouter(include_in_schema=False)
    page = PAGE.format(title=app.title)
    start = START % app.openapi_url

    @router.get("/docs")
    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @router.get("/docs/start.js")
    def docs_start() -> Response:
        return Response(start, media_type="text/javascript")

    app.include_router(router)
    app.mount("/docs/assets", StaticFiles(directory=ASSETS), name="docs-assets")
