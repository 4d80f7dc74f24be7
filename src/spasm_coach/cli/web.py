"""Browser mode: the coach in a browser tab, served from this computer by textual-serve, and
opened only by the person who started it.

Each browser tab runs its own `spasm-coach coach` process; textual-serve relays its screen over a
websocket to xterm.js in the page. Three things keep everyone else out:

- a key (a random token, new at every start) in the address `serve` prints: the page, its
  scripts and the websocket live under `/<key>/`, and any other path gets one plain line;
- the Host header must name the address served (a loopback name on loopback), so a web page
  whose own name was pointed at 127.0.0.1 (DNS rebinding) is refused;
- the Origin must be the page's own: a page from another site can't open the websocket.

The page is our own template (web_template/): textual-serve's default page asks a font CDN, and a
health app's page must not reach outside the machine, so ours loads only textual-serve's own
script and stylesheet from this server and uses the computer's monospace font. It also speaks
the coach's cues, rings its bell and shows its title (`tab_message`): the coach sends them as
meta packets, which this server passes on to the page, so the voice is where the person is and
the computer running `serve` stays silent. textual-serve is an optional extra, imported only when
the server starts.
"""

from __future__ import annotations

import asyncio
import errno
import html
import ipaddress
import json
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
import tempfile
import webbrowser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from spasm_coach.paths import HOME_ENV
from spasm_coach.vocabulary import ExitCode

if TYPE_CHECKING:
    from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8017
TEMPLATES = Path(__file__).parent / "web_template"
INSTALL_HINT = "browser mode needs textual-serve: pip install 'spasm-coach[serve]'"
KEY_BYTES = 24
"""The key in the address: 192 random bits, written in 32 URL-safe characters."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
"""What a browser on this computer may call a server listening on loopback."""
TAB_KINDS = frozenset({"say", "hush", "bell", "title"})
"""What the coach asks of the page around it (see `tab_message`)."""
LONGEST_TAB_TEXT = 500
CLOSE_SECONDS = 10
"""How long a tab's coach may take to close (writing a rescue file is quick) before it is
ended."""
REFUSED = "spasm-coach: refused (this server answers only its own page at its own address)."
NEEDS_KEY = (
    "spasm-coach: open the address that 'spasm-coach serve' printed; it holds this session's "
    "key, so only the person who started it can open the coach."
)
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",  # no other page may frame the coach
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class ServeError(Exception):
    """Why the server can't start, in one line, and the exit code that goes with it."""

    def __init__(self, message: str, code: int = ExitCode.FAILURE) -> None:
        super().__init__(message)
        self.code = code


def is_loopback(host: str) -> bool:
    """Only this computer can reach a server listening on a loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_refusal(host: str, *, demo: bool) -> str:
    """Why --host beyond loopback needs --allow-network: the page has a key, not a password."""
    exposed = "the coach" if demo else "the coach and your pain log"
    return (
        f"--host {host} would make {exposed} reachable from the network; add --allow-network "
        "if that is what you want, or leave --host out to keep it on this computer"
    )


def network_warning(host: str, port: int, *, demo: bool) -> str | None:
    """What listening beyond loopback exposes: the key is the only lock, and it travels (with
    everything shown) unencrypted."""
    if is_loopback(host):
        return None
    exposed = "the coach (demo: no pain log)" if demo else "the coach and your pain log"
    return (
        f"warning: listening on {host} port {port}: {exposed} can be reached from the network. "
        "Anyone who gets the address can open it, and it travels unencrypted with everything "
        "shown. Use --host 127.0.0.1 (the default) to keep it on this computer."
    )


def is_unspecified(host: str) -> bool:
    """0.0.0.0 or ::, every address of this computer."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def url(host: str, port: int, key: str = "") -> str:
    """The address to open, with the key; for 'every address' (0.0.0.0, ::) it is this
    computer's own."""
    path = f"/{key}/" if key else "/"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}{path}"
    if address.is_unspecified:
        address = ipaddress.ip_address("127.0.0.1" if address.version == 4 else "::1")
    shown = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{shown}:{port}{path}"


@dataclass(frozen=True)
class Doorman:
    """Who may open the coach: a browser that asked this server by a name it answers to, from
    a page of its own (the key is checked by the address itself: only `/<key>/...` exists)."""

    host: str
    port: int

    def answers_to(self, host_header: str | None) -> bool:
        """The Host header names this server: its port, and the address served (a loopback
        name when that is loopback; any IP address of this computer when serving on all of
        them). A name that isn't this server's is how a rebound DNS name arrives, and is
        refused."""
        if not host_header:
            return False
        parts = urlsplit(f"//{host_header}")
        try:
            port = parts.port
        except ValueError:
            return False
        name = (parts.hostname or "").lower()
        if port != self.port or not name or parts.username is not None or parts.path:
            return False
        served = self.host.lower().strip("[]")
        if name == served:
            return True
        if is_loopback(served):
            return name in {n.strip("[]") for n in LOOPBACK_NAMES}
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False  # a name other than the one given: never trusted
        try:
            return ipaddress.ip_address(served).is_unspecified or address == ipaddress.ip_address(
                served
            )
        except ValueError:
            return False

    def same_origin(self, origin: str | None, host_header: str) -> bool:
        """The request comes from this server's own page (a browser always says where a
        websocket comes from; `null` and any other site are refused)."""
        return origin is not None and origin.lower() == f"http://{host_header}".lower()


def tab_message(meta: dict[str, object]) -> str | None:
    """What the page should hear of a meta packet from the coach: ["coach", kind, text] for a
    cue to say, a stop, a bell or a title; None for anything else (or anything odd)."""
    kind, text = meta.get("kind"), meta.get("text", "")
    if meta.get("type") != "coach" or kind not in TAB_KINDS or not isinstance(text, str):
        return None
    printable = "".join(char for char in text[:LONGEST_TAB_TEXT] if char.isprintable())
    return json.dumps(["coach", kind, printable])


def coach_command(*, demo: bool, routine: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab: this coach, this data folder,
    this routine if one was given. `exec`, so the coach is the server's own child: a signal or a
    stop reaches it, not a shell in between."""
    args = [sys.executable, "-m", "spasm_coach"]
    home = os.environ.get(HOME_ENV)
    if home:
        args += ["--data-dir", home]
    args.append("demo" if demo else "coach")
    if routine is not None:
        args += ["--routine", routine]
    return f"exec {shlex.join(args)}"


def check_can_listen(host: str, port: int) -> None:
    """One clear line now, rather than a traceback from deep inside the web server later."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(
            f"--host {host}: not a known address ({exc.strerror})", ExitCode.USAGE
        ) from exc
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                raise _listen_error(host, port, exc) from exc


def _listen_error(host: str, port: int, exc: OSError) -> ServeError:
    if exc.errno == errno.EADDRINUSE:
        return ServeError(f"port {port} is already in use; choose another with --port")
    if exc.errno == errno.EACCES:
        return ServeError(f"no permission to listen on port {port}; choose one above 1023")
    if exc.errno == errno.EADDRNOTAVAIL:
        return ServeError(f"--host {host}: not an address of this computer", ExitCode.USAGE)
    return ServeError(f"can't listen on {host} port {port}: {exc.strerror or exc}")


def check_log_opens() -> None:
    """A broken pain log is reported here, not as a blank tab in the browser."""
    from spasm_coach.paths import database_path
    from spasm_coach.store import Store, StoreError

    try:
        Store.open(database_path()).close()
    except StoreError as exc:
        raise ServeError(str(exc)) from exc


def open_in_browser(address: str, folder: Path, opener: Callable[[str], bool]) -> bool:
    """Open `address` in the person's browser through a private page that forwards to it, so
    the key never appears in a command line (which other accounts on the computer can read).
    The page lives in `folder`, a private folder removed when serving stops."""
    page = folder / "open.html"
    quoted = html.escape(address, quote=True)
    descriptor = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as forward:
        forward.write(
            '<!DOCTYPE html><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
            f'<meta http-equiv="refresh" content="0;url={quoted}">'
            f'<title>spasm-coach</title><a href="{quoted}">Open spasm-coach</a>\n'
        )
    return opener(page.as_uri())


def desktop_browser(target: str) -> bool:
    """Open `target` in the desktop's browser. Without a desktop (no display on Linux, as over
    ssh) nothing is opened: Python would start a text browser in this very terminal."""
    unix_desktop = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform not in ("darwin", "win32") and not unix_desktop:
        return False
    return webbrowser.open(target)


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    demo: bool = False,
    allow_network: bool = False,
    open_tab: bool = False,
    routine: str | None = None,
    opener: Callable[[str], bool] = desktop_browser,
) -> None:
    """Serve the coach until Ctrl+C; every problem before that is a ServeError. `routine`: an
    id or a routine file's path, checked already, for every tab's coach."""
    if find_spec("textual_serve") is None:
        raise ServeError(INSTALL_HINT)
    if not is_loopback(host) and not allow_network:
        raise ServeError(network_refusal(host, demo=demo), ExitCode.USAGE)
    check_can_listen(host, port)
    if not demo:
        check_log_opens()
    warning = network_warning(host, port, demo=demo)
    if warning:
        print(f"spasm-coach: {warning}", file=sys.stderr)
    key = new_key()
    server = _coach_server(coach_command(demo=demo, routine=routine), host, port, key)
    address = url(host, port, key)
    mode = " (demo: nothing is read from or saved to the log)" if demo else ""
    print(f"spasm-coach{mode} is at {address}  (Ctrl+C stops it)", flush=True)
    if is_unspecified(host):
        print(
            "From another device, use this computer's address on the network in place of "
            f"{urlsplit(address).hostname}.",
            flush=True,
        )
    with tempfile.TemporaryDirectory(prefix="spasm-coach-") as private:
        if open_tab and not open_in_browser(address, Path(private), opener):
            print("spasm-coach: no browser could be opened; open the address above.", flush=True)
        try:
            server.serve()
        except OSError as exc:  # taken between the check and the start
            raise _listen_error(host, port, exc) from exc
    print("spasm-coach: stopped serving.", file=sys.stderr)


def _coach_server(command: str, host: str, port: int, key: str) -> Server:
    """textual-serve's Server behind the doorman, with our page, a quiet console, a prompt
    Ctrl+C, and the tab's voice, bell and title passed on to the page."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    doorman = Doorman(host, port)

    class TabService(AppService):
        """One tab's coach process: its screen to the page, and what it asks of the tab."""

        def __init__(self, websocket: web.WebSocketResponse, **kwargs: Any) -> None:
            super().__init__(
                command,
                write_bytes=self._to_page,
                write_str=self._to_page_text,
                close=self._close_page,
                **kwargs,
            )
            self.websocket = websocket

        async def _to_page(self, data: bytes) -> None:
            if not self.websocket.closed:  # a closed tab: the coach is closing too
                await self.websocket.send_bytes(data)

        async def _close_page(self) -> None:
            await self.websocket.close()

        async def _to_page_text(self, text: str) -> None:
            if not self.websocket.closed:
                await self.websocket.send_str(text)

        async def stop(self) -> None:
            """Tell the coach to close, and wait until it has: it writes what waits to be
            saved first (a coach still busy after CLOSE_SECONDS is ended)."""
            await super().stop()
            process = self._process
            if process is not None and process.returncode is None:
                try:
                    await asyncio.wait_for(process.wait(), CLOSE_SECONDS)
                except TimeoutError:
                    process.kill()
                    await process.wait()

        async def on_meta(self, data: bytes) -> None:
            meta = json.loads(data)
            message = tab_message(meta) if isinstance(meta, dict) else None
            if message is not None:
                await self._to_page_text(message)
            elif isinstance(meta, dict) and meta.get("type") != "coach":
                await super().on_meta(data)

    class CoachServer(Server):
        def __init__(self) -> None:
            super().__init__(
                command, host=host, port=port, title="spasm-coach", templates_path=TEMPLATES
            )
            self.sessions: set[asyncio.Task[object]] = set()
            """One task per open browser tab, each relaying one coach process."""

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="spasm-coach serve: %(message)s")

        async def _make_app(self) -> web.Application:
            """Only the page, its files and its websocket, all under the key; the doorman
            stands before every request."""
            app = web.Application(middlewares=[self.at_the_door])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get(f"/{key}", self.handle_bare_key),
                    web.get(f"/{key}/", self.handle_index, name="index"),
                    web.get(f"/{key}/ws", self.handle_websocket, name="websocket"),
                    web.static(f"/{key}/static", self.statics_path, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        @web.middleware
        async def at_the_door(
            self,
            request: web.Request,
            handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        ) -> web.StreamResponse:
            host_header = request.headers.get("Host")
            origin = request.headers.get("Origin")
            websocket = request.headers.get("Upgrade", "").lower() == "websocket"
            if not doorman.answers_to(host_header) or (
                (websocket or origin is not None)
                and not doorman.same_origin(origin, host_header or "")
            ):
                response: web.StreamResponse = web.Response(status=403, text=REFUSED)
            else:
                try:
                    response = await handler(request)
                except web.HTTPNotFound:
                    response = web.Response(status=404, text=NEEDS_KEY)
                except web.HTTPException as refused:
                    response = web.Response(status=refused.status, text=refused.reason)
            if not response.prepared:  # a websocket's answer went out as it opened
                response.headers.update(SECURITY_HEADERS)
            return response

        async def handle_bare_key(self, request: web.Request) -> web.StreamResponse:
            return web.Response(status=302, headers={"Location": f"/{key}/"})

        async def on_startup(self, app: web.Application) -> None:
            """The address is printed by serve(); textual-serve's banner is left out. A
            hang-up (the terminal running serve closed) stops serving as Ctrl+C does, so
            every tab's coach closes keeping what waits to be saved."""
            if hasattr(signal, "SIGHUP"):
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.request_exit)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's own, with the coach's messages to the tab passed on."""
            # A handler always runs in a task of its own (aiohttp starts one per request).
            session = cast("asyncio.Task[object]", asyncio.current_task())
            self.sessions.add(session)
            websocket = web.WebSocketResponse(heartbeat=15)
            service: TabService | None = None
            try:
                await websocket.prepare(request)
                service = TabService(websocket, download_manager=self.download_manager)
                await service.start(
                    to_int(request.query.get("width", "80"), 80),
                    to_int(request.query.get("height", "24"), 24),
                )
                async for message in websocket:
                    if message.type == WSMsgType.TEXT:
                        await self._from_page(message.data, service)
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                if service is not None:
                    await service.stop()  # the coach is told to close, and keeps what waits
                self.sessions.discard(session)
            return websocket

        async def _from_page(self, text: str, service: TabService) -> None:
            """Keys, the tab's size, focus and pings; anything else is ignored."""
            try:
                envelope = json.loads(text)
            except ValueError:
                return
            if not isinstance(envelope, list) or not envelope:
                return
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    to_int(str(data.get("width")), 80), to_int(str(data.get("height")), 24)
                )
            elif kind == "focus":
                await service.focus()
            elif kind == "blur":
                await service.blur()
            elif kind == "ping" and isinstance(data, str):
                await service.websocket.send_json(["pong", data])

        async def on_shutdown(self, app: web.Application) -> None:
            """Close every tab's coach now; the web server would otherwise wait for the tabs."""
            for session in list(self.sessions):
                session.cancel()
            await asyncio.gather(*self.sessions, return_exceptions=True)

    return CoachServer()
