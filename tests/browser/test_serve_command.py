"""`spasm-coach serve`: what it runs per tab, where it listens, and one clear line when it can't."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.browser.tab import FakeServer
from tests.support import Cli

from spasm_coach.cli import web


def test_serves_on_loopback_and_prints_the_address_with_its_key(
    cli: Cli, fake_server: list[FakeServer], free_port: int, home: Path
) -> None:
    result = cli("serve", "--port", str(free_port))
    assert result.code == 0, result.err
    [server] = fake_server
    assert f"http://127.0.0.1:{free_port}/{server.key}/ " in result.out
    assert "warning" not in result.err
    assert (server.host, server.port, server.served) == ("127.0.0.1", free_port, True)


def test_each_start_makes_a_new_key_too_long_to_guess(
    cli: Cli, fake_server: list[FakeServer], free_port: int
) -> None:
    for _ in range(2):
        assert cli("serve", "--port", str(free_port)).code == 0
    first, second = (server.key for server in fake_server)
    assert first != second
    assert len(first) >= 32
    assert re.fullmatch(r"[A-Za-z0-9_-]+", first), "the key needs no escaping in an address"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
@pytest.mark.parametrize("demo", [False, True])
def test_listening_beyond_this_computer_is_refused_unless_asked_for(
    cli: Cli, fake_server: list[FakeServer], free_port: int, host: str, demo: bool
) -> None:
    result = cli("serve", "--host", host, "--port", str(free_port), *(["--demo"] * demo))
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "--allow-network" in result.err
    assert ("pain log" in result.err) is not demo
    assert not fake_server


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_listening_beyond_this_computer_when_asked_warns_and_serves(
    cli: Cli, fake_server: list[FakeServer], free_port: int, host: str
) -> None:
    result = cli("serve", "--host", host, "--port", str(free_port), "--allow-network")
    assert result.code == 0, result.err
    assert "warning" in result.err
    assert "your pain log can be reached from the network" in result.err
    assert "unencrypted" in result.err
    assert "--host 127.0.0.1" in result.err
    [server] = fake_server
    assert f":{free_port}/{server.key}/" in result.out
    assert "From another device, use this computer's address on the network" in result.out
    assert server.served


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("::", False),
        ("clinic-laptop.local", False),
    ],
)
def test_only_loopback_hosts_go_without_a_warning(host: str, loopback: bool) -> None:
    assert (web.network_warning(host, 8017, demo=False) is None) is loopback


@pytest.mark.parametrize("demo", [False, True])
def test_each_tab_runs_this_coach_on_the_same_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo: bool
) -> None:
    folder = tmp_path / "a folder with spaces"
    monkeypatch.setenv("SPASM_COACH_HOME", str(folder))
    args = shlex.split(web.coach_command(demo=demo))
    assert args[:4] == ["exec", sys.executable, "-m", "spasm_coach"]
    assert args[4:] == ["--data-dir", str(folder), "demo" if demo else "coach"]


def test_demo_neither_opens_nor_creates_the_log(
    cli: Cli, fake_server: list[FakeServer], free_port: int, home: Path
) -> None:
    result = cli("serve", "--demo", "--port", str(free_port))
    assert result.code == 0, result.err
    assert "demo" in result.out
    assert shlex.split(fake_server[0].command)[-1] == "demo"
    assert not home.exists()


def test_an_unreadable_log_is_reported_before_serving(
    cli: Cli, fake_server: list[FakeServer], free_port: int, home: Path
) -> None:
    home.mkdir()
    log = home / "pain-log.sqlite3"
    log.write_bytes(b"this is not a database" * 100)
    result = cli("serve", "--port", str(free_port))
    assert result.code == 1
    assert "left untouched" in result.err
    assert "Traceback" not in result.err
    assert not fake_server
    assert log.read_bytes() == b"this is not a database" * 100


@pytest.mark.parametrize("port", ["0", "65536", "eighty"])
def test_a_port_out_of_range_is_a_typing_mistake(
    cli: Cli, fake_server: list[FakeServer], port: str
) -> None:
    result = cli("serve", "--port", port)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "--port" in result.err
    assert not fake_server


def test_a_port_in_use_gets_one_line_and_exit_1(
    cli: Cli, fake_server: list[FakeServer], free_port: int
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port))
        taken.listen()
        result = cli("serve", "--port", str(free_port))
    assert result.code == 1
    assert result.err.strip() == (
        f"spasm-coach: port {free_port} is already in use; choose another with --port"
    )
    assert not fake_server


def test_a_host_that_is_not_this_computer_is_a_typing_mistake(
    cli: Cli, fake_server: list[FakeServer], free_port: int
) -> None:
    result = cli(
        "serve", "--host", "192.0.2.1", "--port", str(free_port), "--allow-network"
    )  # a documentation address
    assert result.code == 2
    assert "not an address of this computer" in result.err
    assert not fake_server


def test_without_textual_serve_it_says_how_to_install_it(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, free_port: int
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if it were not installed
    result = cli("serve", "--port", str(free_port))
    assert result.code == 1
    assert result.out == ""
    assert result.err == "spasm-coach: " + web.INSTALL_HINT + "\n"
    assert "pip install 'spasm-coach[serve]'" in result.err


def test_the_server_process_does_not_load_textual() -> None:
    """Only each tab's coach draws with Textual; the server itself stays light."""
    code = (
        "import sys\n"
        "from spasm_coach.cli import web\n"
        "web._coach_server(web.coach_command(demo=False), '127.0.0.1', 8017, 'key')\n"
        "print('textual' in sys.modules)\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"


class Assets(HTMLParser):
    """Every address the page names: src and href attributes, and url(...) in its styles."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.addresses += [found[name] or "" for name in ("src", "href") if name in found]
        if (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = found.get("content") or ""

    def handle_data(self, data: str) -> None:
        self.addresses += re.findall(r"url\(([^)]*)\)", data)


def test_the_page_names_nothing_outside_this_server() -> None:
    page = (Path(web.TEMPLATES) / "app_index.html").read_text()
    assets = Assets()
    assets.feed(page)
    assert "static/js/textual.js" in assets.addresses
    for address in assets.addresses:  # relative: under this session's key
        assert address.startswith("static/") or address.startswith("data:"), address
    assert "@import" not in page
    assert "@font-face" not in page, "the page uses the computer's own fonts"
    assert "default-src 'self'" in assets.csp
    assert "connect-src 'self'" in assets.csp
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page


@pytest.mark.parametrize("demo", [False, True])
def test_a_routine_given_is_every_tabs_routine(
    cli: Cli, fake_server: list[FakeServer], free_port: int, demo: bool
) -> None:
    result = cli("serve", "--port", str(free_port), "--routine", "standard", *["--demo"] * demo)
    assert result.code == 0, result.err
    args = shlex.split(fake_server[0].command)
    assert args[-3:] == ["demo" if demo else "coach", "--routine", "standard"]


def test_a_routine_nothing_has_is_a_typing_mistake_before_serving(
    cli: Cli, fake_server: list[FakeServer], free_port: int
) -> None:
    result = cli("serve", "--port", str(free_port), "--routine", "no-such-routine")
    assert result.code == 2
    assert "no-such-routine" in result.err
    assert not fake_server
