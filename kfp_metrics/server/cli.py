"""`python -m kfp_metrics server --processer N`: N app processes behind one address."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LOOPBACK = ("127.", "::1", "localhost")


def register(subparsers) -> None:
    """Add `server` to the CLI."""
    parser = subparsers.add_parser(
        "server",
        help="starta appen i flera processer bakom en adress (använder fler processorkärnor)",
        description="Startar appen i N processer på lokala portar och en mellanserver på --port som "
        "fördelar webbläsarna mellan dem: en webbläsare stannar hos samma process. Utan inloggning "
        "(lokalt läge) bara på 127.0.0.1, som appen själv.",
    )
    parser.add_argument(
        "--processer", type=int, default=os.cpu_count() or 1, metavar="N", help="antal appprocesser"
    )
    parser.add_argument("--port", type=int, default=8501, help="porten webbläsarna ansluter till (8501)")
    parser.add_argument("--adress", default="127.0.0.1", help="adressen att lyssna på (127.0.0.1)")
    parser.add_argument(
        "--secrets", type=Path, default=None, metavar="FIL", help="secrets.toml med inloggningen ([auth])"
    )
    parser.set_defaults(func=run_server)


def _has_login(secrets: Path | None) -> bool:
    files = (
        [secrets]
        if secrets
        else [ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit/secrets.toml"]
    )
    for path in files:
        try:
            if "auth" in tomllib.loads(path.read_text(encoding="utf-8")):
                return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False


def _free_ports(count: int) -> list[int]:
    import socket

    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def _start(port: int, secrets: Path | None) -> subprocess.Popen:
    # streamlit run app.py, with the pages' modules imported before the first visitor (appprocess).
    cmd = [
        sys.executable,
        "-m",
        "kfp_metrics.server.appprocess",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    if secrets is not None:
        cmd += ["--secrets.files", str(secrets)]
    return subprocess.Popen(cmd, cwd=ROOT)


def _wait_healthy(ports: list[int], processes: list[subprocess.Popen], timeout: float = 120) -> None:
    deadline = time.time() + timeout
    waiting = set(ports)
    while waiting and time.time() < deadline:
        for port, proc in zip(ports, processes, strict=True):
            if proc.poll() is not None:
                raise RuntimeError(f"appprocessen på port {port} avslutades (kod {proc.returncode})")
            if port not in waiting:
                continue
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        waiting.discard(port)
            except OSError:
                pass
        time.sleep(0.3)
    if waiting:
        raise RuntimeError(f"appprocesserna på port {', '.join(map(str, sorted(waiting)))} startade inte")


def _prepare_once() -> None:
    """Build the prepared store before the processes start, so that they do not each build it."""
    from kfp_metrics import forberedd
    from kfp_metrics.extracts import data_dir_from_env
    from kfp_metrics.forberedd.cli import progress_lines

    directory = data_dir_from_env()
    if forberedd.enabled() and directory.is_dir() and forberedd.find_whole(directory) is None:
        try:
            forberedd.ensure(directory, progress=progress_lines)
        except Exception as exc:  # the processes then read the Parquet, as the app does
            print(f"Extrakten kunde inte förberedas ({exc}); Parquet-filerna läses direkt.", file=sys.stderr)


def run_server(args) -> int:
    """Start the processes and the proxy; stop them all on Ctrl-C or SIGTERM."""
    import uvicorn

    from kfp_metrics.server.proxy import app

    if args.processer < 1:
        print("Fel: --processer måste vara minst 1.", file=sys.stderr)
        return 2
    loopback = args.adress.startswith(LOOPBACK)
    if not loopback and not _has_login(args.secrets) and os.environ.get("KFP_UTAN_INLOGGNING") != "1":
        print(
            f"Fel: utan inloggning visar appen allt för alla som når den, så den startas inte på "
            f"{args.adress}. Konfigurera inloggning ([auth] i .streamlit/secrets.toml, se "
            "docs/behorighet.md), använd --adress 127.0.0.1, eller sätt KFP_UTAN_INLOGGNING=1 om risken är bedömd.",
            file=sys.stderr,
        )
        return 2
    _prepare_once()
    ports = _free_ports(args.processer)
    processes = [_start(port, args.secrets) for port in ports]

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        _wait_healthy(ports, processes)
        print(
            f"Appen körs i {len(ports)} processer: http://{args.adress}:{args.port}",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(app(ports), host=args.adress, port=args.port, log_level="warning", ws="websockets-sansio")
    except KeyboardInterrupt:
        pass
    except RuntimeError as exc:
        print(f"Fel: {exc}.", file=sys.stderr)
        return 1
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0
