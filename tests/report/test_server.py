"""The report server: ``report`` asks a running warm server and falls back to rendering itself.

Real processes and real Unix sockets throughout: the server is ``python -m analysis serve``
(started by the first ``report`` with ``ANALYSIS_SERVER=aan``), the client the real command.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from analysis.config import demoland_settings
from analysis.report import server

from . import fixtures


def _without_render_time(html: str) -> str:
    return re.sub(r"<tr><th>gemaakt op</th><td>[^<]*</td></tr>", "", html)


@pytest.fixture
def runtime(monkeypatch) -> Path:
    """A short private XDG_RUNTIME_DIR (socket paths must stay under ~100 bytes)."""
    root = Path(tempfile.mkdtemp(prefix="xdg-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(root))
    yield root
    for sock in root.glob("*/*.sock"):  # a server a failed test left: ask it to stop
        with contextlib.suppress(OSError, ValueError, server.ServerUnavailable):
            server._exchange(sock, {"protocol": server.PROTOCOL, "cmd": "stop"}, 30)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=900,
    )


def _wait_for_status(env: dict[str, str], seconds: float = 300) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = _cli("serve", "--status", "--profiel", "demoland", env=env)
        if done.returncode == 0:
            return done.stdout
        time.sleep(0.5)
    raise AssertionError("the report server did not come up")


@pytest.mark.slow
def test_report_is_served_warm_with_the_same_html_and_errors(tmp_path, runtime, monkeypatch):
    data = fixtures.write_dataset(tmp_path / "testland")
    env = {"ANALYSIS_DEMO_DIR": str(data), "ANALYSIS_REPORTS_DIR": str(tmp_path / "reports")}
    for k, v in env.items():  # this process too: it computes the server's address below
        monkeypatch.setenv(k, v)
    out_dir = tmp_path / "reports" / "demoland" / "gemeente"

    # 1. no server yet: rendered in-process, and (ANALYSIS_SERVER=aan) a server is started
    first = _cli(
        "report",
        "--gemeente",
        "GM9002",
        "--profiel",
        "demoland",
        env={**env, "ANALYSIS_SERVER": "aan"},
    )
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
    assert "engine=inprocess" in first.stdout and "rekenserver gestart" in first.stdout
    (html_path,) = out_dir.glob("GM9002-*.html")
    cold = html_path.read_text()
    status = _wait_for_status(env)
    pid = int(re.search(r"pid (\d+)", status).group(1))

    # 2. the running server renders the same report: same HTML, its pid named
    served = _cli("report", "--gemeente", "GM9002", "--profiel", "demoland", env=env)
    assert served.returncode == 0, served.stdout[-2000:] + served.stderr[-3000:]
    assert "engine=server" in served.stdout and f"rekenserver: pid {pid}" in served.stdout
    warm = html_path.read_text()
    assert "<img" in warm and _without_render_time(warm) == _without_render_time(cold)
    assert html_path.with_suffix(".xlsx").is_file()

    # 2b. idle for a second, the server warms a jeugdregio report too; one is then served
    deadline = time.monotonic() + 300
    while "jeugdregio" not in _wait_for_status(env) and time.monotonic() < deadline:
        time.sleep(1.5)
    assert "opgewarmd: gemeente, jeugdregio" in _wait_for_status(env)
    regio = _cli("report", "--regio", "JZ92", "--profiel", "demoland", env=env)
    assert regio.returncode == 0, regio.stdout[-2000:] + regio.stderr[-3000:]
    assert (
        "engine=server" in regio.stdout
        and (tmp_path / "reports" / "demoland" / "jeugdregio").is_dir()
    )

    # 3. a bad code: the command's own error and exit code, through the server
    bad = _cli("report", "--gemeente", "GM9999", "--profiel", "demoland", env=env)
    alone = _cli(
        "report",
        "--gemeente",
        "GM9999",
        "--profiel",
        "demoland",
        env={**env, "ANALYSIS_SERVER": "uit"},
    )
    assert bad.returncode == alone.returncode == 2
    assert f"rekenserver: pid {pid}" in bad.stdout and "rekenserver" not in alone.stdout
    assert "GM9999" in bad.stderr and bad.stderr == alone.stderr

    # 4. the data change under a running server (a rebuild): it serves the new figures, as a
    # report rendered by itself on the new data does
    fixtures.write_dataset(data, seed=8)
    changed = _cli("report", "--gemeente", "GM9002", "--profiel", "demoland", env=env)
    assert changed.returncode == 0 and f"rekenserver: pid {pid}" in changed.stdout
    new_served = _without_render_time(html_path.read_text())
    fresh = _cli(
        "report",
        "--gemeente",
        "GM9002",
        "--profiel",
        "demoland",
        env={**env, "ANALYSIS_SERVER": "uit"},
    )
    assert fresh.returncode == 0 and "engine=inprocess" in fresh.stdout
    assert new_served == _without_render_time(html_path.read_text())
    assert new_served != _without_render_time(cold)

    # 5. another environment (here: another reports folder) never reaches this server
    other = {**env, "ANALYSIS_REPORTS_DIR": str(tmp_path / "elders")}
    elsewhere = _cli("report", "--gemeente", "GM9003", "--profiel", "demoland", env=other)
    assert elsewhere.returncode == 0 and "engine=inprocess" in elsewhere.stdout
    assert "rekenserver" not in elsewhere.stdout  # not started either: no terminal, no switch

    # 6. stop: the server exits and removes its socket; reports render in-process again
    sock = server.address(demoland_settings())
    assert sock.exists()
    stopped = _cli("serve", "--stop", "--profiel", "demoland", env=env)
    assert stopped.returncode == 0 and "gestopt" in stopped.stdout
    deadline = time.monotonic() + 60
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid) and not sock.exists()
    again = _cli("report", "--gemeente", "GM9002", "--profiel", "demoland", env=env)
    assert again.returncode == 0 and "engine=inprocess" in again.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _listener(path: Path, answer: bytes | None) -> threading.Thread:
    """A one-shot socket server at ``path`` that reads a request and answers ``answer``
    (None: closes without a word, as a server that dies mid-report)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(1)

    def run():
        try:
            conn, _ = sock.accept()
            with conn, conn.makefile("rb") as fh:
                fh.readline()
                if answer:
                    conn.sendall(answer)
        finally:
            sock.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize(
    "answer",
    [None, b"geen json\n", b'{"protocol": 99, "exit": 0}\n'],
    ids=["dies", "junk", "protocol"],
)
def test_a_server_that_fails_to_answer_means_render_here(runtime, monkeypatch, tmp_path, answer):
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path))
    path = server.address(demoland_settings())
    t = _listener(path, answer)
    assert server.request_report({"gemeente": "GM9002", "profiel": "demoland"}) is None
    t.join(10)


def test_a_stale_socket_file_means_render_here(runtime, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path))
    path = server.address(demoland_settings())
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))  # bound, never listening, then closed: what a killed server leaves
    sock.close()
    assert path.exists()
    assert server.request_report({"gemeente": "GM9002", "profiel": "demoland"}) is None
    assert server.status("demoland") is None and server.stop("demoland") is False


def test_switched_off_no_server_is_asked(runtime, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path))
    path = server.address(demoland_settings())
    t = _listener(path, b'{"protocol": 1, "exit": 0, "stdout": "", "stderr": ""}\n')
    monkeypatch.setenv("ANALYSIS_SERVER", "uit")
    assert server.request_report({"profiel": "demoland"}) is None
    monkeypatch.setenv("ANALYSIS_SERVER", "auto")
    assert server.request_report({"profiel": "demoland"}) == 0  # the listener answered
    t.join(10)


@pytest.mark.parametrize("mode", [0o777, 0o750])
def test_a_socket_folder_open_to_others_is_refused(runtime, monkeypatch, tmp_path, mode):
    folder = runtime / "jeugdzorg-analysis"
    folder.mkdir(exist_ok=True)
    folder.chmod(mode)
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path))
    with pytest.raises(server.ServerUnavailable, match="rechten 700"):
        server.address(demoland_settings())
    assert server.request_report({"profiel": "demoland"}) is None
    folder.chmod(0o700)


def test_the_address_follows_data_settings_and_code(runtime, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path / "a"))
    a = server.address(demoland_settings())
    assert a.parent.stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("ANALYSIS_NO_CACHE", "1")
    b = server.address(demoland_settings())
    monkeypatch.delenv("ANALYSIS_NO_CACHE")
    monkeypatch.setenv("ANALYSIS_SERVER", "aan")  # the switch itself is not part of it
    assert server.address(demoland_settings()) == a
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path / "b"))
    c = server.address(demoland_settings())
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path / "a"))
    monkeypatch.setattr("analysis.report.engine.digest.package_digest", lambda: "andere code")
    d = server.address(demoland_settings())
    assert len({a, b, c, d}) == 4


def test_serve_without_processed_data_is_a_clear_error(runtime, tmp_path):
    done = _cli("serve", "--profiel", "demoland", env={"ANALYSIS_DEMO_DIR": str(tmp_path / "leeg")})
    assert done.returncode == 1
    assert "geen verwerkte gegevens" in done.stderr and "make demo-data" in done.stderr
    assert not list(runtime.glob("*/*.sock"))  # nothing left listening


@pytest.mark.parametrize(
    ("switch", "tty", "ci", "starts"),
    [
        ("aan", False, "true", True),  # switched on: always
        ("uit", True, "", False),  # switched off: never
        ("", True, "", True),  # default: in a terminal outside CI
        ("", False, "", False),  # default: not when the output is a pipe or file
        ("", True, "true", False),  # default: not in CI
    ],
)
def test_when_a_server_is_started_in_the_background(
    runtime, monkeypatch, tmp_path, capsys, switch, tty, ci, starts
):
    started: list[list[str]] = []
    monkeypatch.setattr(server.subprocess, "Popen", lambda cmd, **kw: started.append(cmd))
    monkeypatch.setattr(server.sys.stdout, "isatty", lambda: tty, raising=False)
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path))
    monkeypatch.setenv("ANALYSIS_SERVER", switch)
    monkeypatch.setenv("CI", ci)
    server.after_build("demoland")
    server.after_cold_report("demoland")
    expected = [sys.executable, "-m", "analysis", "serve", "--profiel", "demoland", "--idle", "900"]
    assert started == ([expected] * 2 if starts else [])
    out = capsys.readouterr().out
    assert ("rekenserver gestart" in out) is starts and ("ANALYSIS_SERVER=uit" in out) is starts


def test_no_second_server_beside_a_running_one_but_one_beside_a_dead_socket(
    runtime, monkeypatch, tmp_path
):
    started: list[list[str]] = []
    monkeypatch.setattr(server.subprocess, "Popen", lambda cmd, **kw: started.append(cmd))
    monkeypatch.setenv("ANALYSIS_DEMO_DIR", str(tmp_path))
    monkeypatch.setenv("ANALYSIS_SERVER", "aan")
    path = server.address(demoland_settings())
    t = _listener(path, b"")  # a live server
    server.after_build("demoland")
    assert started == []
    t.join(10)  # the probe was the listener's one connection: it is gone
    assert path.exists()  # now left behind by a server that is gone: a new one is started
    server.after_build("demoland")
    assert len(started) == 1
