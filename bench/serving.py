"""Memory of a serving host: the catalogue index shared by gunicorn's workers, or not.

    nice .venv/bin/python bench/serving.py --works 100000 --workers 1 2 4

Builds a throwaway SQLite archive as bench/discovery.py does (its `generate`), saves its
index with `fanarchive reindex`, then for each number of workers starts gunicorn twice,
as `fanarchive serve` does (`core.gunicorn.gunicorn_argv`: the app and the index loaded
by the master before it forks) and without `--preload` (each worker loading its own
copy on its first request, as before), and reads after warm-up requests (every worker
serving /works/, a filtered listing and a tag's works) each process's
`/proc/PID/smaps_rollup`:

- PSS summed over the master and the workers: the host's memory, shared pages counted
  once;
- each worker's private (unshared) memory and RSS.

Also times the first answer after the port listens. Bench only; SQLite, no task worker.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(data_dir: Path, works: int) -> None:
    from _django import setup_django

    setup_django(data_dir)
    from discovery import generate
    from django.core.management import call_command

    generate(works)
    call_command("reindex")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _read(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 - our own server
        body: bytes = response.read()
        return body


def _get(url: str) -> float:
    started = time.monotonic()
    _read(url)
    return time.monotonic() - started


def _rollup(pid: int) -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])  # kB
    return fields


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def measure(data_dir: Path, workers: int, preload: bool) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["FANARCHIVE_SERVE_NO_TASK_WORKER"] = "1"
    port = _free_port()
    code = (
        "from fanarchive.core.gunicorn import gunicorn_argv; import sys; "
        f"print(' '.join(gunicorn_argv(host='127.0.0.1', port={port}, workers={workers})))"
    )
    argv = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    argv = [a for a in argv if a != "--access-logfile" and a != "-"]
    if not preload:
        argv.remove("--preload")
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603
        argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None:
                    raise SystemExit("gunicorn exited") from None
                time.sleep(0.2)
        first = _get(f"{base}/works/")
        ready = time.monotonic() - started
        # Enough requests that every worker has served each kind of page.
        listing = _read(f"{base}/works/").decode()
        tag = re.search(r'href="(/tags/[^"/]+/works/)"', listing)
        pages = ["/works/", "/works/?sort=kudos", tag.group(1) if tag else "/works/?page=2"]
        for _ in range(12 * workers):
            for page in pages:
                _get(base + page)
        pids = _children(process.pid)
        worker_rollups = [_rollup(pid) for pid in pids]
        master = _rollup(process.pid)
        return {
            "workers": workers,
            "preload": preload,
            "first_request_s": first,
            "ready_s": ready,
            "host_pss_mb": (master["Pss"] + sum(r["Pss"] for r in worker_rollups)) / 1024,
            # The anonymous part must fit in memory; the file part is the index file's
            # pages in the page cache, which the kernel may drop and read again.
            "host_anon_mb": (master["Pss_Anon"] + sum(r["Pss_Anon"] for r in worker_rollups))
            / 1024,
            "worker_private_mb": max(
                (r["Private_Clean"] + r["Private_Dirty"]) / 1024 for r in worker_rollups
            ),
            "worker_rss_mb": max(r["Rss"] / 1024 for r in worker_rollups),
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


def reindex(data_dir: Path) -> None:
    """`fanarchive reindex` in a process of its own: its time, peak memory, the file."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "reindex"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    # The largest child waited for so far: the reindex (the gunicorns run later).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mb = (data_dir / "index" / "catalogue.bin").stat().st_size / 1e6
    print(
        f"reindex: {time.monotonic() - started:.1f} s wall, peak RSS {peak_mb:.0f} MB, "
        f"index file {size_mb:.0f} MB"
    )
    layout(data_dir / "index" / "catalogue.bin")


def layout(path: Path) -> None:
    """What the saved index holds, in MB by kind of array (from the file's header)."""
    from fanarchive.discovery.index.store import header_of

    header = header_of(path)
    if header is None:
        raise SystemExit(f"{path} is not a saved index")
    groups: dict[str, float] = {}
    for name, (dtype, count, _offset) in header["arrays"].items():
        kind = name.split("_")[0] if name.startswith(("number_", "text_")) else name
        kind = re.sub(r"_(keys|counts|offsets|blob|values)$", "", kind)
        groups[kind] = groups.get(kind, 0.0) + count * np.dtype(dtype).itemsize / 1e6
    print("  index file by part: " + ", ".join(f"{k} {v:.0f} MB" for k, v in groups.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--reuse-dir",
        help="measure the archive in this data folder (bench/discovery.py --keep leaves one "
        "in its folder's `index`) instead of generating one; it is rebuilt, not deleted",
    )
    parser.add_argument("--no-compare", action="store_true", help="skip the runs without --preload")
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="with --reuse-dir: measure the index saved there (bench/discovery.py built it)",
    )
    parser.add_argument("--build-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child:
        build(Path(args.build_child), args.works)
        return
    workdir = Path(args.reuse_dir or tempfile.mkdtemp(prefix="fanarchive-bench-serving-"))
    try:
        if args.reuse_dir and args.keep_index:
            layout(workdir / "index" / "catalogue.bin")
        elif args.reuse_dir:
            reindex(workdir)
        else:
            started = time.monotonic()
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    __file__,
                    "--works",
                    str(args.works),
                    "--build-child",
                    str(workdir),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(
                f"built {args.works:,} works and their index in {time.monotonic() - started:.0f} s"
            )
        print("workers  preload  host PSS  of it anon  worker private  worker RSS  first answer")
        for workers in args.workers:
            for preload in (True,) if args.no_compare else (True, False):
                r = measure(workdir, workers, preload)
                print(
                    f"{workers:>7}  {'yes' if preload else 'no':>7}  {r['host_pss_mb']:>6.0f} MB"
                    f"  {r['host_anon_mb']:>7.0f} MB"
                    f"  {r['worker_private_mb']:>11.0f} MB  {r['worker_rss_mb']:>7.0f} MB"
                    f"  {r['first_request_s'] * 1000:>9.0f} ms"
                )
    finally:
        if not args.reuse_dir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
