"""A cold start: the saved catalogue index deleted, then `fanarchive serve` started.

    nice .venv/bin/python bench/cold_start.py --reuse-dir /tmp/fanarchive-bench-XXXX/index
    nice .venv/bin/python bench/cold_start.py --works 100000

Uses an archive bench/discovery.py left with `--keep` (its folder's `index` data folder),
or generates one (`--works`). Deletes the saved index, starts `fanarchive serve` (as a
deployment does, `--no-worker`), and from that moment a client asks for /works/ every
quarter second. `serve` builds the index before gunicorn opens its port, so until then a
connection is refused (the host is not up: a load balancer or nginx sends no traffic to
it); every request the host accepted must then succeed within `--timeout` seconds (the
gunicorn timeout is 60). Once the first page is served, four clients keep asking for
listings, a tag's works and work pages for `--seconds`. Prints serve's own lines (its
progress), the times to listening and to the first page, and every request's outcome.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate_archive(data_dir: Path, works: int) -> None:
    from _django import setup_django

    setup_django(data_dir)
    from discovery import generate

    generate(works)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Outcomes:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []
        self.failures: list[str] = []
        self.refused = 0

    def ask(self, url: str, timeout: float) -> bool:
        """One request; False when the port is not open yet (not counted as a request)."""
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                with self.lock:
                    self.refused += 1
                return False
            with self.lock:
                self.failures.append(f"{url}: {error.reason}")
            return True
        except TimeoutError:
            with self.lock:
                self.failures.append(f"{url}: no answer within {timeout} s")
            return True
        with self.lock:
            self.seconds.append(time.monotonic() - started)
            if status != 200:
                self.failures.append(f"{url}: HTTP {status}")
        return True


def run(data_dir: Path, *, workers: int, seconds: float, timeout: float) -> None:
    index = data_dir / "index" / "catalogue.bin"
    index.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["FANARCHIVE_GUEST_PAGE_CACHE_SECONDS"] = "0"  # every page rendered: the worst case
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    command = [sys.executable, "manage.py", "serve", "--port", str(port), "--no-worker"]
    serve = subprocess.Popen(  # noqa: S603
        [*command, "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    log: list[str] = []

    def read_log() -> None:
        for line in serve.stdout or ():
            stamp = time.monotonic() - started
            for part in line.rstrip("\n").split("\r"):
                if part.strip():
                    log.append(f"{stamp:7.1f} s  {part.strip()}")

    threading.Thread(target=read_log, daemon=True).start()
    outcomes = Outcomes()
    listening = first = None
    try:
        while first is None:
            if serve.poll() is not None:
                raise SystemExit("serve exited:\n" + "\n".join(log))
            if outcomes.ask(f"{base}/works/", timeout):
                listening = listening or time.monotonic() - started
                if outcomes.seconds and not outcomes.failures:
                    first = time.monotonic() - started
                elif outcomes.failures:
                    break
            else:
                time.sleep(0.25)
        with urllib.request.urlopen(f"{base}/works/", timeout=timeout) as response:  # noqa: S310
            listing = response.read().decode()
        paths = ["/works/", "/works/?sort=kudos"]
        paths += re.findall(r'href="(/tags/[^"/]+/works/)"', listing)[:2]
        # Work pages too, when the archive has them: bench/discovery.py's generated works
        # have no chapters, so their pages are (rightly) not found.
        for path in re.findall(r'href="(/works/\d+/)"', listing)[:3]:
            try:
                with urllib.request.urlopen(base + path, timeout=timeout):  # noqa: S310
                    paths.append(path)
            except urllib.error.HTTPError as error:
                print(f"left out {path}: HTTP {error.code} (a generated work without chapters)")
        until = time.monotonic() + seconds

        def client(offset: int) -> None:
            turn = offset
            while time.monotonic() < until:
                outcomes.ask(base + paths[turn % len(paths)], timeout)
                turn += 1

        clients = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
    finally:
        serve.terminate()
        serve.wait(timeout=60)
    print("serve's own lines (seconds since start):")
    for line in log:
        print("  " + line[:160])
    times = sorted(outcomes.seconds)
    print(f"connections refused before the port opened: {outcomes.refused}")
    print(f"port open after {listening:.1f} s; first page after {first or 0:.1f} s")
    print(
        f"requests answered: {len(times)}; failed or timed out: {len(outcomes.failures)}; "
        f"p50 {times[len(times) // 2] * 1000:.0f} ms, "
        f"p99 {times[int(len(times) * 0.99)] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms"
    )
    timeouts = [line for line in log if "WORKER TIMEOUT" in line]
    print(f"gunicorn WORKER TIMEOUT lines: {len(timeouts)}")
    for failure in outcomes.failures[:20]:
        print("  failed: " + failure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse-dir", help="an archive's data folder (kept, its index deleted)")
    parser.add_argument("--works", type=int, default=100_000, help="without --reuse-dir")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--generate-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_child:
        generate_archive(Path(args.generate_child), args.works)
        return
    if args.reuse_dir:
        run(Path(args.reuse_dir), workers=args.workers, seconds=args.seconds, timeout=args.timeout)
        return
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-cold-"))
    try:
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                __file__,
                "--works",
                str(args.works),
                "--generate-child",
                str(workdir),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        run(workdir, workers=args.workers, seconds=args.seconds, timeout=args.timeout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
