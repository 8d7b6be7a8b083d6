"""The proxy in front of the app processes: HTTP and Streamlit's websocket, one process per browser.

A browser is sent to one process for as long as it keeps the cookie SERVER_COOKIE (its session,
downloads and login state live there); without it, to the process with the fewest open sessions.
Only loopback backends are reached; the proxy adds nothing to what the app itself answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import httpx
import websockets
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

SERVER_COOKIE = "kfp_process"
# Headers that belong to one hop, not to the request or response (RFC 9110 section 7.6.1).
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


@dataclass
class Backend:
    """One app process on a loopback port, with its open websocket sessions counted."""

    port: int
    sessions: int = 0

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


@dataclass
class Pool:
    backends: list[Backend]
    _next: int = field(default=0)

    def choose(self, cookie: str | None) -> tuple[int, bool]:
        """The backend index for a request: the cookie's, else the least busy (True: set cookie)."""
        if cookie is not None and cookie.isdigit() and int(cookie) < len(self.backends):
            return int(cookie), False
        fewest = min(b.sessions for b in self.backends)
        candidates = [i for i, b in enumerate(self.backends) if b.sessions == fewest]
        index = candidates[self._next % len(candidates)]
        self._next += 1
        return index, True


def _forward_headers(headers, drop: set[str] = HOP_BY_HOP) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.items() if k.lower() not in drop]


def app(ports: list[int]) -> Starlette:
    """The proxy as an ASGI app over the app processes on these loopback ports."""
    pool = Pool([Backend(p) for p in ports])
    client = httpx.AsyncClient(timeout=httpx.Timeout(300.0, connect=10.0), follow_redirects=False)

    async def http(request: Request) -> Response:
        index, new = pool.choose(request.cookies.get(SERVER_COOKIE))
        backend = pool.backends[index]
        url = backend.http + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        headers = _forward_headers(request.headers, HOP_BY_HOP | {"host"})
        headers.append(("host", request.headers.get("host", f"127.0.0.1:{backend.port}")))
        try:
            upstream = await client.send(
                client.build_request(request.method, url, headers=headers, content=await request.body()),
                stream=True,
            )
        except httpx.HTTPError:
            return PlainTextResponse("Appen svarar inte just nu. Försök igen om en stund.", status_code=502)
        response = StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=dict(_forward_headers(upstream.headers, HOP_BY_HOP | {"set-cookie", "date", "server"})),
            background=BackgroundTask(upstream.aclose),
        )
        for cookie in upstream.headers.get_list("set-cookie"):
            response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
        if new:
            response.set_cookie(SERVER_COOKIE, str(index), httponly=True, samesite="lax")
        return response

    async def stream(socket: WebSocket) -> None:
        index, _ = pool.choose(socket.cookies.get(SERVER_COOKIE))
        backend = pool.backends[index]
        path = socket.url.path + (f"?{socket.url.query}" if socket.url.query else "")
        protocols = [
            p.strip() for p in socket.headers.get("sec-websocket-protocol", "").split(",") if p.strip()
        ]
        passed = [
            (k, v)
            for k, v in socket.headers.items()
            if k.lower() in {"cookie", "origin", "user-agent", "accept-language"}
        ]
        try:
            upstream = await websockets.connect(
                backend.ws + path,
                subprotocols=protocols or None,
                additional_headers=passed,
                max_size=None,
                open_timeout=30,
                ping_interval=None,
                compression=None,
            )
        except (OSError, websockets.exceptions.WebSocketException):
            await socket.close(code=1013)
            return
        await socket.accept(subprotocol=upstream.subprotocol)
        backend.sessions += 1

        async def to_backend():
            try:
                while True:
                    message = await socket.receive()
                    if message["type"] == "websocket.disconnect":
                        break
                    data = message.get("bytes")
                    await upstream.send(data if data is not None else message.get("text", ""))
            except WebSocketDisconnect:
                pass

        async def to_browser():
            with contextlib.suppress(websockets.exceptions.ConnectionClosed):
                async for data in upstream:
                    if isinstance(data, bytes):
                        await socket.send_bytes(data)
                    else:
                        await socket.send_text(data)

        tasks = [asyncio.create_task(to_backend()), asyncio.create_task(to_browser())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            backend.sessions -= 1
            for task in tasks:
                task.cancel()
            await upstream.close()
            with contextlib.suppress(RuntimeError):
                await socket.close()

    routes = [
        WebSocketRoute("/{path:path}", stream),
        Route("/{path:path}", http, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    ]
    proxy = Starlette(routes=routes)
    proxy.state.pool = pool
    return proxy
