"""What keeps the public service up under hostile input: one ASGI middleware and a few error handlers.

Per request, in this order:

1. URL longer than `max_url_length` -> 414; URL not valid UTF-8 after percent-decoding -> 400.
2. Body over `max_body_bytes` (by Content-Length, or counted while reading) -> 413; a text body
   (SPARQL query, form) that is not UTF-8 -> 400. The body is read here (at most the cap) and replayed.
3. /sparql runs in the "adhoc" query lane (app.core.isolation), every other path in the "api" lane.
4. Answers of /sparql and /queries/ over `max_result_bytes` -> 422 naming the limit.
5. HTML answers get a Content-Security-Policy for the offline assets, X-Content-Type-Options and
   Referrer-Policy; the read-only data paths get CORS for any origin, without credentials.
6. One log line per request (logger iza_kg.access): method, path, status, duration, query hash.
   An exception no handler took is logged with its traceback; the client gets a 500 JSON body without it.

Every refusal is JSON: {"detail": "...", "limit": "IZA_...", ...}. The limits are in docs/limits.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
import traceback
from urllib.parse import parse_qsl, unquote_to_bytes

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.backends.base import ResultTooLarge
from app.backends.store_answers import MAX_RESULT_BYTES
from app.core.isolation import LANE, QueryCapacity, WorkerLost

log = logging.getLogger("iza_kg.reliability")
access_log = logging.getLogger("iza_kg.access")


class ReliabilitySettings(BaseSettings):
    """Limits of the public service (environment variables with prefix IZA_); see docs/limits.md."""

    model_config = SettingsConfigDict(env_prefix="IZA_", extra="ignore")

    max_body_bytes: int = Field(1_000_000, ge=1, description="Largest request body (a POSTed query or form); else 413.")
    max_url_length: int = Field(8_192, ge=256, description="Longest path plus query string; else 414 (POST long queries).")
    max_result_bytes: int = Field(MAX_RESULT_BYTES, ge=1_000, description="Largest answer of /sparql and /queries; else 422.")
    adhoc_workers: int = Field(2, ge=1, description="Worker processes for /sparql queries on the embedded graph.")
    adhoc_nice: int = Field(10, ge=0, le=19, description="CPU priority (nice) of the /sparql worker processes.")
    queue_wait_s: float = Field(2.0, gt=0, description="Longest wait for a free /sparql query worker; else 503.")
    api_queue_wait_s: float = Field(30.0, gt=0, description="Longest wait of the API's own queries for a worker; else 503.")
    query_memory_mb: int = Field(1024, ge=0, description="Address-space limit of a query worker process (0: none).")
    adhoc_worker_mb: int = Field(128, ge=1, description="Memory an idle /sparql worker may hold of its own before "
                                 "it is replaced by a fresh fork that shares the graph again.")
    reload_interval_s: float = Field(2.0, ge=0, description="How often the data files are checked for changes (0: never).")
    remote_retries: int = Field(2, ge=0, description="Retries of a remote query that failed to connect.")
    cors: bool = Field(True, description="CORS for any origin on the read-only data paths.")


# -- policies as data ----------------------------------------------------------------------------

ADHOC_PATHS = ("/sparql",)
RESULT_CAPPED_PREFIXES = ("/sparql", "/queries/")
# Read-only data: GET (and HEAD) from any origin; POST only where a query may be posted.
CORS_PREFIXES = ("/sparql", "/queries", "/regions", "/compare", "/themes", "/frameworks", "/search", "/validate",
                 "/health", "/id/", "/doc/", "/def", "/graph/", "/download", "/catalog", "/.well-known/void",
                 "/openapi.json")
CORS_POST_PATHS = ("/sparql",)
CORS_ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type"
CORS_EXPOSED_HEADERS = "Content-Disposition, Link, Location, X-Result-Capped, X-Total-Count"
TEXT_BODY_TYPES = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
                   "text/plain", "text/turtle", "application/json")

# The pages use only their own scripts and styles (app/static, vendored YASGUI); pyLODE's /def/ page has
# an inline <style> and data: icons. Inline scripts that a page does carry get their hash added.
CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# FastAPI's /docs and /redoc load Swagger UI and ReDoc from their CDN: allowed there and nowhere else.
DOCS_PATHS = ("/docs", "/redoc")
DOCS_EXTRA = {"script-src": ["https://cdn.jsdelivr.net"], "style-src": ["https://cdn.jsdelivr.net"],
              "img-src": ["https://fastapi.tiangolo.com", "https://cdn.redoc.ly"], "worker-src": ["blob:"],
              "font-src": ["https://fonts.gstatic.com"]}
HTML_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin",
                "x-frame-options": "DENY"}
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
NON_JS_TYPE = re.compile(rb"""type\s*=\s*["']?(application/(ld\+)?json|text/template)""", re.IGNORECASE)
MAX_HTML_BUFFER = 5_000_000


def content_security_policy(path: str, body: bytes) -> str:
    policy = {k: list(v) for k, v in CSP.items()}
    if path in DOCS_PATHS:
        for key, values in DOCS_EXTRA.items():
            policy.setdefault(key, []).extend(values)
    for attributes, script in INLINE_SCRIPT.findall(body):
        if script.strip() and not NON_JS_TYPE.search(attributes):
            digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
            policy["script-src"].append(f"'sha256-{digest}'")
    return "; ".join(f"{key} {' '.join(values)}" for key, values in policy.items())


def query_hash(text: str | None) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12] if text else "-"


def is_cors_path(path: str) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p) for p in CORS_PREFIXES)


class Refusal(Exception):
    def __init__(self, status: int, detail: str, **extra):
        self.status, self.detail, self.extra = status, detail, extra


def json_body(status: int, detail: str, **extra) -> tuple[int, bytes]:
    return status, json.dumps({"detail": detail, **extra}, ensure_ascii=False).encode("utf-8")


# -- the middleware ------------------------------------------------------------------------------


class ReliabilityMiddleware:
    def __init__(self, app, settings: ReliabilitySettings | None = None):
        self.app = app
        self.settings = settings or ReliabilitySettings()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path = scope.get("path", "")
        record = {"status": 0, "bytes": 0, "hash": "-"}
        request_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        origin = request_headers.get("origin")
        # The app's current limits (tests and operators may replace app.state.reliability); else the defaults.
        limits = getattr(getattr(scope.get("app"), "state", None), "reliability", None) or self.settings
        raw_send, send = send, self._wrap_send(send, path, origin, record, limits)
        lane = LANE.set("adhoc" if path in ADHOC_PATHS else "api")
        try:
            if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in request_headers:
                try:
                    await self._preflight(path, request_headers, raw_send, record, limits)
                except Refusal as refusal:  # a refused preflight carries no CORS headers
                    await self._send_json(raw_send, record, *json_body(refusal.status, refusal.detail, **refusal.extra))
                return
            receive, record["hash"] = await self._check_request(scope, receive, request_headers, limits)
            await self.app(scope, receive, send)
        except Refusal as refusal:
            await self._send_json(send, record, *json_body(refusal.status, refusal.detail, **refusal.extra))
        except Exception:  # the last resort: log the traceback, never send it
            log.error("unhandled error on %s %s\n%s", scope["method"], path, traceback.format_exc())
            if not record["status"]:
                await self._send_json(send, record, *json_body(500, "internal error; it has been logged"))
        finally:
            LANE.reset(lane)
            access_log.info("method=%s path=%s status=%s duration_ms=%.1f query_hash=%s bytes=%s", scope["method"],
                            _log_safe(path), record["status"], (time.perf_counter() - started) * 1000, record["hash"],
                            record["bytes"])

    # -- request --

    async def _check_request(self, scope, receive, headers: dict[str, str], limits: ReliabilitySettings):
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        query_string = scope.get("query_string", b"")
        if len(raw_path) + len(query_string) > limits.max_url_length:
            raise Refusal(414, f"the URL is longer than {limits.max_url_length} characters; send a long query with "
                               "POST (application/sparql-query)", limit="IZA_MAX_URL_LENGTH", max=limits.max_url_length)
        for part, what in ((raw_path, "path"), (query_string.replace(b"+", b" "), "query string")):
            try:
                unquote_to_bytes(part).decode("utf-8")
            except UnicodeDecodeError:
                raise Refusal(400, f"the URL {what} is not valid UTF-8 (after percent-decoding)") from None
        sparql_text = None
        if query_string:
            params = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
            sparql_text = next((v for k, v in params if k in ("query", "update")), None) or query_string.decode("latin-1")
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise Refusal(400, "Content-Length is not a number")
            if int(declared) > limits.max_body_bytes:
                raise Refusal(413, f"the request body is larger than {limits.max_body_bytes} bytes",
                              limit="IZA_MAX_BODY_BYTES", max=limits.max_body_bytes)
        if scope["method"] not in ("POST", "PUT", "PATCH") and declared in (None, "0"):
            return receive, query_hash(sparql_text)
        body = await self._read_body(receive, limits.max_body_bytes)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type in TEXT_BODY_TYPES:
            raw = unquote_to_bytes(body.replace(b"+", b" ")) if content_type.endswith("urlencoded") else body
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise Refusal(400, f"the {content_type} body is not valid UTF-8") from None
            if content_type.endswith("urlencoded"):
                form = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
                text = next((v for k, v in form if k in ("query", "update")), None) or sparql_text
            sparql_text = text
        return _replay(body), query_hash(sparql_text)

    async def _read_body(self, receive, max_bytes: int) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refusal(400, "the client went away before sending the whole body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                raise Refusal(413, f"the request body is larger than {max_bytes} bytes", limit="IZA_MAX_BODY_BYTES",
                              max=max_bytes)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _preflight(self, path: str, headers: dict[str, str], send, record: dict, limits: ReliabilitySettings) -> None:
        method = headers.get("access-control-request-method", "").upper()
        allowed = ["GET", "HEAD"] + (["POST"] if path in CORS_POST_PATHS else [])
        if not (limits.cors and is_cors_path(path)) or method not in allowed:
            raise Refusal(403, f"CORS: {method or 'this method'} from another origin is not allowed on {path}",
                          allowed=allowed if is_cors_path(path) else [])
        record["status"] = 204
        await send({"type": "http.response.start", "status": 204, "headers": [
            (b"access-control-allow-origin", b"*"), (b"access-control-allow-methods", ", ".join(allowed).encode()),
            (b"access-control-allow-headers", CORS_ALLOWED_HEADERS.encode()), (b"access-control-max-age", b"86400"),
        ]})
        await send({"type": "http.response.body", "body": b""})

    # -- response --

    def _wrap_send(self, send, path: str, origin: str | None, record: dict, limits: ReliabilitySettings):
        capped = path.startswith(RESULT_CAPPED_PREFIXES)
        state = {"start": None, "html": False, "buffer": [], "dropped": False}

        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = [(k.lower(), v) for k, v in message.get("headers", [])]
                length = next((int(v) for k, v in headers if k == b"content-length" and v.isdigit()), None)
                if capped and length is not None and length > limits.max_result_bytes and message["status"] < 300:
                    state["dropped"] = True
                    status, body = json_body(422, f"the answer is {length} bytes, over the limit of "
                                                  f"{limits.max_result_bytes}; narrow the query or page with LIMIT and OFFSET",
                                             limit="IZA_MAX_RESULT_BYTES", max=limits.max_result_bytes)
                    await self._send_json(send, record, status, body)
                    return
                if origin and limits.cors and is_cors_path(path):
                    headers += [(b"access-control-allow-origin", b"*"),
                                (b"access-control-expose-headers", CORS_EXPOSED_HEADERS.encode())]
                content_type = next((v for k, v in headers if k == b"content-type"), b"")
                record["status"] = message["status"]
                if content_type.startswith(b"text/html"):
                    headers += [(k.encode(), v.encode()) for k, v in HTML_HEADERS.items()]
                    if length is not None and length <= MAX_HTML_BUFFER:
                        state["html"] = True
                        state["start"] = {**message, "headers": headers}
                        return
                    headers.append((b"content-security-policy", content_security_policy(path, b"").encode()))
                await send({**message, "headers": headers})
                return
            if state["dropped"]:
                return
            record["bytes"] += len(message.get("body", b""))
            if state["html"]:
                state["buffer"].append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(state["buffer"])
                start = state["start"]
                start["headers"].append((b"content-security-policy", content_security_policy(path, body).encode()))
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        return wrapped

    async def _send_json(self, send, record: dict, status: int, body: bytes) -> None:
        record["status"], record["bytes"] = status, len(body)
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _log_safe(path: str) -> str:
    return path.encode("unicode_escape").decode("ascii")[:300]


# -- error handlers ------------------------------------------------------------------------------


def install_error_handlers(app) -> None:
    """Errors that would otherwise be a 500 or a misleading 502/503: each a 4xx or 503 naming the limit."""
    from fastapi import Request
    from fastapi.responses import JSONResponse

    def reply(status: int, detail: str, **extra) -> JSONResponse:
        return JSONResponse({"detail": detail, **extra}, status_code=status)

    @app.exception_handler(UnicodeDecodeError)
    async def not_utf8(request: Request, exc: UnicodeDecodeError):
        return reply(400, "the request is not valid UTF-8")

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError):
        log.info("refused a too deeply nested request on %s", request.url.path)
        return reply(400, "the query is nested too deeply to parse; flatten its groups or expressions")

    @app.exception_handler(ResultTooLarge)
    async def too_large(request: Request, exc: ResultTooLarge):
        return reply(422, str(exc), limit="IZA_MAX_RESULT_BYTES", max=exc.limit_bytes)

    @app.exception_handler(QueryCapacity)
    async def busy(request: Request, exc: QueryCapacity):
        return JSONResponse({"detail": str(exc), "limit": "IZA_ADHOC_WORKERS" if exc.lane == "adhoc" else "IZA_QUERY_WORKERS",
                             "workers": exc.workers}, status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(WorkerLost)
    async def lost(request: Request, exc: WorkerLost):
        log.warning("query worker lost on %s: %s", request.url.path, exc)
        return reply(503, f"the query was stopped: {exc}", limit="IZA_QUERY_MEMORY_MB")


def document_error_bodies(app) -> None:
    """Make the spec say what the error answers are: FastAPI declares 422 as a list of validation errors, but
    the routes also answer 422 (and other 4xx) with one message, {"detail": "..."}. The spec of
    HTTPValidationError.detail becomes "a message or that list", so clients (and schemathesis) can rely on it."""
    from fastapi.openapi.utils import get_openapi

    def openapi():
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                               summary=app.summary, description=app.description, routes=app.routes, tags=app.openapi_tags,
                               servers=app.servers)
            error = spec.get("components", {}).get("schemas", {}).get("HTTPValidationError")
            if error and "detail" in error.get("properties", {}):
                listed = error["properties"]["detail"]
                error["properties"]["detail"] = {"title": "Detail", "anyOf": [
                    {"type": "string", "description": "what is wrong, in one message"},
                    {k: v for k, v in listed.items() if k != "title"}]}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi


def configure_logging() -> None:
    """INFO lines of the iza_kg loggers on stderr, unless the host (uvicorn --log-config, pytest) set logging up."""
    package = logging.getLogger("iza_kg")
    if package.level == logging.NOTSET:
        package.setLevel(logging.INFO)
    if not package.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        package.addHandler(handler)


def install(app, settings: ReliabilitySettings | None = None) -> None:
    """Wire the middleware and the handlers into a FastAPI app (called by app.main.create_app)."""
    settings = settings or ReliabilitySettings()
    app.state.reliability = settings
    configure_logging()
    install_error_handlers(app)
    document_error_bodies(app)
    app.add_middleware(ReliabilityMiddleware, settings=settings)
