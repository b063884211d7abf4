"""BotApiEmulator: a local Bot API server that behaves like Telegram at the HTTP level."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from simulator.api_misc import HANDLERS, fallback
from simulator.demo import DemoScenario, setup_demo
from simulator.faults import ConnectionDropped, Faults
from simulator.limits import RateLimiter
from simulator.observe import Observer
from simulator.spec import ApiError, FileUpload, MethodSpec
from simulator.state import RecordedRequest
from simulator.web import add_web_routes

__all__ = ["BotApiEmulator", "run_simulator_server"]

log = logging.getLogger(__name__)
Json = dict[str, Any]
# Sending methods that count against Telegram's flood limits.
_LIMITED = ("send", "copymessage", "forwardmessage")
_MAX_UPLOAD = 50 * 1024 * 1024


def _attach(value: Any, uploads: dict[str, FileUpload]) -> Any:
    """Replace attach://name references by the uploaded parts they name."""
    if isinstance(value, str) and value.startswith("attach://"):
        return uploads.get(value[len("attach://") :], value)
    if isinstance(value, list):
        return [_attach(v, uploads) for v in value]
    if isinstance(value, dict):
        return {k: _attach(v, uploads) for k, v in value.items()}
    return value


async def read_params(request: web.Request) -> tuple[Json, dict[str, FileUpload]]:
    """Read parameters from the query string and a JSON, urlencoded or multipart body."""
    params: Json = dict(request.query)
    uploads: dict[str, FileUpload] = {}
    if not request.body_exists:
        return params, uploads
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON request body must be an object")
        params.update(body)
        return params, uploads
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            uploads[key] = FileUpload(value.filename, value.file.read(), value.content_type)
        else:
            params[key] = value
    return params, uploads


class BotApiEmulator(Observer):
    """Fake Telegram: Bot API over HTTP, simulated users, and a web chat page."""

    def __init__(self, token: str = "123456:TEST-TOKEN", spec_path: Path | None = None,
                 enforce_limits: bool = False) -> None:
        super().__init__(token, spec_path)
        self.enforce_limits = enforce_limits
        self.limiter = RateLimiter()
        self.limit_violations = 0
        self.base_url = ""
        self.scenario: DemoScenario | None = None
        self.faults = Faults()  # failures tests arm per method (simulator/faults.py)
        self._runner: web.AppRunner | None = None

    # -- server -----------------------------------------------------------------------

    def create_app(self) -> web.Application:
        """Build the aiohttp app: Bot API, file downloads and the web chat page."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{kind}/{file_id}", self._handle_file)
        add_web_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on host:port (0 picks a free port); return base_url."""
        self.queue.closing = False
        self._runner = web.AppRunner(self.create_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving and end pending long polls."""
        self.queue.closing = True
        await self.queue.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        if not self.base_url:
            await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        try:
            params, uploads = await read_params(request)
        except ApiError as err:
            return self._respond(name, {}, err)
        if request.match_info["token"] != self.token:
            return self._respond(name, params, ApiError(401, "Unauthorized"))
        try:
            status, body = await self.execute(name, params, uploads)
        except ConnectionDropped:
            # No answer at all: the client sees the server hang up, as on a network failure.
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)  # never reaches the client
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self.files.get(request.match_info["file_id"])
        if request.match_info["token"] != self.token or stored is None or stored.data is None:
            raise web.HTTPNotFound()
        return web.Response(body=stored.data, content_type=stored.mime_type or
                            "application/octet-stream")

    def _respond(self, name: str, params: Json, err: ApiError) -> web.Response:
        self.record(RecordedRequest(name, params, False, err.code, err.description))
        return web.json_response(err.payload(), status=err.code)

    # -- executing methods --------------------------------------------------------------

    async def execute(self, name: str, params: Json,
                      uploads: dict[str, FileUpload] | None = None) -> tuple[int, Json]:
        """Run one Bot API call; return the HTTP status and Telegram's JSON answer."""
        spec = self.spec.method(name)
        polling = spec is not None and spec.name == "getUpdates"
        self._inflight += 0 if polling else 1
        record = RecordedRequest(spec.name if spec else name, params)
        try:
            if spec is None:
                raise ApiError(404, "Not Found")
            uploads = uploads or {}
            merged = {**params, **{k: v for k, v in uploads.items() if k in spec.fields}}
            checked = self.spec.validate(spec, merged)
            if uploads:
                checked = _attach(checked, uploads)
            record.params = checked
            self._check_limits(spec.name, checked)
            fault = self.faults.take(spec.name)
            record.injected = fault is not None
            if fault is not None and fault.hold is not None:
                await fault.hold.wait()
            if fault is not None and not fault.executed:
                fault.fail()
            record.result = await self._dispatch(spec, checked)
            if fault is not None:
                fault.fail()  # done, but the answer is lost
            body: Json = {"ok": True, "result": record.result}
        except ApiError as err:
            record.ok, record.error_code, record.description = False, err.code, err.description
            body = err.payload()
        except ConnectionDropped as err:
            record.ok, record.error_code, record.description = False, 0, str(err)
            self.record(record)
            raise
        finally:
            self._inflight -= 0 if polling else 1
            if not polling or record.result:
                self._last_activity = time.monotonic()
        self.record(record)
        return (200 if record.ok else int(record.error_code or 400)), body

    async def _dispatch(self, spec: MethodSpec, params: Json) -> Any:
        if spec.name == "getUpdates":
            return await self.queue.get_updates(params)
        handler = HANDLERS.get(spec.name.lower())
        return handler(self, params) if handler else fallback(self, spec, params)

    def _check_limits(self, method: str, params: Json) -> None:
        lowered = method.lower()
        if not self.enforce_limits or not lowered.startswith(_LIMITED) or lowered in (
                "sendchataction",):
            return
        chat_id = params.get("chat_id")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            return
        wait = self.limiter.check(chat.id, chat.type == "private")
        if wait:
            self.limit_violations += 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    async def _run_webhook_reply(self, data: Json, uploads: dict[str, FileUpload]) -> None:
        """Execute a method the bot put in its webhook response."""
        method = str(data.pop("method"))
        await self.execute(method, data, uploads)


async def run_simulator_server(host: str = "127.0.0.1", port: int = 8080,
                               token: str = "123456:SIMULATOR") -> BotApiEmulator:
    """Start the emulator with the demo chats (Parent, Parenting group, Counsellors)."""
    emu = BotApiEmulator(token=token)
    emu.scenario = setup_demo(emu)
    await emu.start(host, port)
    log.info("Telegram simulator on %s", emu.base_url)
    return emu
