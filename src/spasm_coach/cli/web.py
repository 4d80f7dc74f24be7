"""Browser mode: the coach in a browser tab, served from this computer by textual-serve.

Each browser tab runs its own `spasm-coach coach` process; textual-serve relays its screen over a
websocket to xterm.js in the page. The page is our own template (web_template/): textual-serve's
default page asks a font CDN, and a health app's page must not reach outside the machine, so ours
loads only textual-serve's own script and stylesheet from this server and uses the computer's
monospace font. textual-serve is an optional extra, imported only when the server starts.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import os
import shlex
import socket
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, cast

from spasm_coach.paths import HOME_ENV

if TYPE_CHECKING:
    from aiohttp import web as aiohttp_web
    from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8017
TEMPLATES = Path(__file__).parent / "web_template"
INSTALL_HINT = "browser mode needs textual-serve: pip install 'spasm-coach[serve]'"
USAGE, FAILURE = 2, 1


class ServeError(Exception):
    """Why the server can't start, in one line, and the exit code that goes with it."""

    def __init__(self, message: str, code: int = FAILURE) -> None:
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


def network_warning(host: str, port: int, *, demo: bool) -> str | None:
    """What listening beyond loopback exposes: there is no password on the page."""
    if is_loopback(host):
        return None
    exposed = "the coach (demo: no pain log)" if demo else "the coach and your pain log"
    return (
        f"warning: listening on {host}, so anyone who can reach this computer on port {port} "
        f"can open {exposed}, with no password. Use --host 127.0.0.1 to keep it on this computer."
    )


def url(host: str, port: int) -> str:
    """The address to open; for 'every address' (0.0.0.0, ::) it is this computer's own."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}/"
    if address.is_unspecified:
        address = ipaddress.ip_address("127.0.0.1" if address.version == 4 else "::1")
    shown = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{shown}:{port}/"


def coach_command(*, demo: bool) -> str:
    """The shell command textual-serve runs for each browser tab: this coach, this data folder."""
    args = [sys.executable, "-m", "spasm_coach"]
    home = os.environ.get(HOME_ENV)
    if home:
        args += ["--data-dir", home]
    args.append("demo" if demo else "coach")
    return shlex.join(args)


def check_can_listen(host: str, port: int) -> None:
    """One clear line now, rather than a traceback from deep inside the web server later."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"--host {host}: not a known address ({exc.strerror})", USAGE) from exc
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
        return ServeError(f"--host {host}: not an address of this computer", USAGE)
    return ServeError(f"can't listen on {host} port {port}: {exc.strerror or exc}")


def check_log_opens() -> None:
    """A broken pain log is reported here, not as a blank tab in the browser."""
    from spasm_coach.paths import database_path
    from spasm_coach.store import Store, StoreError

    try:
        Store.open(database_path()).close()
    except StoreError as exc:
        raise ServeError(str(exc)) from exc


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, demo: bool = False) -> None:
    """Serve the coach until Ctrl+C; every problem before that is a ServeError."""
    if find_spec("textual_serve") is None:
        raise ServeError(INSTALL_HINT)
    check_can_listen(host, port)
    if not demo:
        check_log_opens()
    warning = network_warning(host, port, demo=demo)
    if warning:
        print(f"spasm-coach: {warning}", file=sys.stderr)
    server = _coach_server(coach_command(demo=demo), host, port)
    mode = " (demo: nothing is read from or saved to the log)" if demo else ""
    print(f"spasm-coach{mode} is at {url(host, port)}  (Ctrl+C stops it)", flush=True)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and the start
        raise _listen_error(host, port, exc) from exc
    print("spasm-coach: stopped serving.", file=sys.stderr)


def _coach_server(command: str, host: str, port: int) -> Server:
    """textual-serve's Server with our page, a quiet console and a prompt Ctrl+C."""
    from textual_serve.server import Server

    class CoachServer(Server):
        def __init__(self) -> None:
            super().__init__(
                command, host=host, port=port, title="spasm-coach", templates_path=TEMPLATES
            )
            self.sessions: set[asyncio.Task[object]] = set()
            """One task per open browser tab, each relaying one coach process."""

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="spasm-coach serve: %(message)s")

        async def on_startup(self, app: aiohttp_web.Application) -> None:
            """The address is printed by serve(); textual-serve's banner is left out."""

        async def handle_websocket(
            self, request: aiohttp_web.Request
        ) -> aiohttp_web.WebSocketResponse:
            # A handler always runs in a task of its own (aiohttp starts one per request).
            session = cast("asyncio.Task[object]", asyncio.current_task())
            self.sessions.add(session)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(session)

        async def on_shutdown(self, app: aiohttp_web.Application) -> None:
            """Close every tab's coach now; the web server would otherwise wait for the tabs."""
            for session in list(self.sessions):
                session.cancel()
            await asyncio.gather(*self.sessions, return_exceptions=True)

    return CoachServer()
