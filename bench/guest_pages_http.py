"""Guests' pages over HTTP at 64 connections: gunicorn alone, the shipped nginx
configuration, and nginx serving the same HTML as a static file, side by side: `/works/`,
a fandom's works page and a work page.

    nice .venv/bin/python bench/guest_pages_http.py --works 20000

Needs nginx and wrk from Debian (`apt-get install -y nginx wrk`; the bench says so when
they are missing). Builds a throwaway archive with discovery's generator, starts
`fanarchive serve` on it (two workers, no task worker), and an nginx of its own on a free
port with `deploy/nginx/fanarchive.conf`'s cache and proxy settings (plain HTTP, paths in
the bench's directory). Every work gets a 600-word chapter (as bench/backup.py does). For
each page it runs `wrk -t2 -c64`:

- against gunicorn directly (pages from the archive's shared cache), with the CPU the
  gunicorn processes spent per request (from /proc), asking for the page as it is and
  gzipped, as browsers ask (a page is kept gzipped beside it, so a hit is not compressed
  again);
- through nginx (`X-Proxy-Cache` HIT, revalidated each second);
- nginx serving the page's HTML as a static file, the ceiling.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FANARCHIVE = Path(sys.executable).parent / "fanarchive"
NGINX_CONF = ROOT / "deploy" / "nginx" / "fanarchive.conf"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def gunicorn_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *(int(pid) for pid in children)]


GZIP = "Accept-Encoding: gzip, deflate, br"

# Prints the first answer that is not a 200, so a failure says what it was.
FIRST_FAILURE = """
response = function(status, headers, body)
  if status ~= 200 and not shown then shown = true; print(status, body:sub(1, 500)) end
end
"""


def wrk(url: str, seconds: int, script: Path, *headers: str) -> tuple[float, int]:
    """(requests a second, requests) of `wrk -t2 -c64` on `url`, sending `headers`."""
    sent = [part for header in headers for part in ("-H", header)]
    command = ["wrk", "-t2", "-c64", f"-d{seconds}s", "-s", str(script), *sent, url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    total = re.search(r"(\d+) requests in", done.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if not rate or not total:
        raise SystemExit(done.stdout)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed requests\n{done.stdout}")
    return float(rate.group(1)), int(total.group(1))


def cached_work_page(base: str, listing: bytes) -> str | None:
    """The first work page the listing links to that guests are served from the cache
    (not an adult work's gate, which is never kept)."""
    for found in re.finditer(rb'href="(/works/\d+/)"', listing):
        path = found.group(1).decode()
        for _ in range(2):
            with urllib.request.urlopen(base + path) as page:  # noqa: S310 - our own server
                served = page.headers.get("X-Page-Cache")
        if served == "hit":
            return path
    return None


def nginx_config(workdir: Path, port: int, upstream: int, static_dir: Path) -> Path:
    """The shipped configuration's proxy and cache settings, on plain HTTP in `workdir`."""
    # nginx's workers drop root: they must reach the bench's directory and write its cache.
    workdir.chmod(0o755)
    for name in ("cache", "proxy-temp", "body-temp"):
        (workdir / name).mkdir()
        (workdir / name).chmod(0o777)
    shipped = NGINX_CONF.read_text()
    location = shipped[shipped.index("    location / {") : shipped.rindex("    }\n}") + 6]
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    proxy_temp_path {workdir}/proxy-temp;
    client_body_temp_path {workdir}/body-temp;
    proxy_cache_path {workdir}/cache levels=1:2 keys_zone=fanarchive_pages:50m
                     max_size=1g inactive=10m use_temp_path=off;
    upstream fanarchive {{ server 127.0.0.1:{upstream}; keepalive 32; }}
    map $upstream_http_x_page_cache $fanarchive_not_for_guests {{ "" 1; default 0; }}
    server {{
        listen 127.0.0.1:{port};
        location = /static-copy.html {{ root {static_dir}; }}
{location}
    }}
}}
"""
    )
    return conf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install -y nginx wrk")
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-http-"))
    data = workdir / "data"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"FANARCHIVE_DATA_DIR": str(data), "FANARCHIVE_TRUSTED_PROXIES": "127.0.0.1"}
    subprocess.run(  # noqa: S603 (the generator, in a Python of its own)
        [
            sys.executable,
            "-c",
            f"""
import sys; sys.path[:0] = [{str(ROOT / "bench")!r}, {str(ROOT)!r}]
from _django import setup_django
setup_django({str(data)!r})
from discovery import generate
from backup import add_chapters_and_kudos
generate({args.works})
add_chapters_and_kudos(600)  # work pages need a chapter to show
""",
        ],
        env=env,
        check=True,
    )
    upstream, port = free_port(), free_port()
    command = ["serve", "--port", str(upstream), "--workers", "2", "--no-worker"]
    serve = subprocess.Popen(  # noqa: S603 (our own command)
        [str(FANARCHIVE), *command, "--demo-works", "0"],
        env=env,
        stdout=(workdir / "serve.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{upstream}/works/", 600)
        pgrep = ["pgrep", "-f", "-o", f"gunicorn.*{upstream}"]
        found = subprocess.run(pgrep, capture_output=True, text=True)  # noqa: S603
        master = int(found.stdout.split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{upstream}/works/") as page:
            html = page.read()
        fandom = re.search(rb'href="(/tags/\d+/works/)"', html)
        pages = {"/works/": "/works/"}
        if fandom:
            pages["a fandom's works page"] = fandom.group(1).decode()
        work = cached_work_page(f"http://127.0.0.1:{upstream}", html)
        if work:
            pages["a work page"] = work
        script = workdir / "first-failure.lua"
        script.write_text(FIRST_FAILURE)
        static_dir = workdir / "www"
        static_dir.mkdir()
        conf = nginx_config(workdir, port, upstream, static_dir)
        nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
        nginx_command = [nginx_bin, "-c", str(conf), "-g", "daemon off;"]
        nginx = subprocess.Popen(nginx_command)  # noqa: S603
        time.sleep(1)
        print(f"Guest pages, {args.works:,} works, wrk -t2 -c64 -d{args.seconds}s:")
        for label, path in pages.items():
            with urllib.request.urlopen(f"http://127.0.0.1:{upstream}{path}") as page:
                (static_dir / "static-copy.html").write_bytes(page.read())
            before = cpu_seconds(gunicorn_pids(master))
            direct, total = wrk(f"http://127.0.0.1:{upstream}{path}", args.seconds, script)
            cpu = (cpu_seconds(gunicorn_pids(master)) - before) / total
            # What a browser asks for: the page gzipped.
            before = cpu_seconds(gunicorn_pids(master))
            zipped, total = wrk(f"http://127.0.0.1:{upstream}{path}", args.seconds, script, GZIP)
            zipped_cpu = (cpu_seconds(gunicorn_pids(master)) - before) / total
            proxied, _ = wrk(f"http://127.0.0.1:{port}{path}", args.seconds, script)
            static, _ = wrk(f"http://127.0.0.1:{port}/static-copy.html", args.seconds, script)
            print(f"  {label}:")
            print(f"    gunicorn alone:       {direct:9,.0f} req/s, {cpu * 1000:.2f} ms CPU a page")
            gzipped = f"{zipped:9,.0f} req/s, {zipped_cpu * 1000:.2f} ms CPU a page"
            print(f"    gunicorn alone, gzip: {gzipped}")
            share = f"{proxied / static:.0%} of static"
            print(f"    through nginx:        {proxied:9,.0f} req/s ({share})")
            print(f"    nginx, a static file: {static:9,.0f} req/s")
    except RuntimeError as error:
        log = (workdir / "serve.log").read_text(errors="replace")
        raise SystemExit(f"{error}\n--- serve.log (end) ---\n{log[-3000:]}") from error
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=15)
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
