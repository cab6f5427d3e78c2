"""Time `archiver archive` of 200 local pages with --concurrency 1 and 8; print the ratio.

The pages are generated (Chinese text, a quarter of them GBK without a declaration) and served
by a separate process on 8 loopback ports — 8 hosts, since archiver never fetches one host
twice at once. ``--latency`` adds a server-side delay per response to stand in for the
network (a local server answers in microseconds, which no news site does).

    python benchmarks/archive.py                 # 200 pages, 50 ms latency
    python benchmarks/archive.py --latency 0     # pure local cost (parsing dominates)

Each run archives into a fresh database with ``--delay 0`` (no politeness delay: the
servers are ours).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "国家统计局今天发布的数据显示，上半年全国规模以上工业增加值同比增长。",
    "专家表示，下半年经济运行仍面临不少困难和挑战，需要进一步扩大内需。",
    "分析人士认为，随着一系列稳增长政策落地见效，市场主体活力有望增强。",
    "记者从有关部门获悉，多地正在加快推进重点项目建设，带动投资回暖。",
    "业内人士指出，新能源汽车产销两旺，产业链上下游企业订单明显增加。",
    "据介绍，今年以来城镇新增就业人数稳步增长，就业形势总体保持稳定。",
]


def page(n: int) -> bytes:
    rnd = random.Random(n)
    paras = "".join(
        "<p>" + "".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(3, 6))) + "</p>\n"
        for _ in range(rnd.randint(8, 20))
    )
    html = (f"<!DOCTYPE html><html><head><title>第{n}号新闻 - 基准测试网</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/list'>列表</a></div>"
            f"<h1>第{n}号新闻：经济运行总体平稳</h1><div class='meta'>2021-06-12 12:18 "
            f"来源：基准测试网</div><article>{paras}</article>"
            f"<div class='footer'>版权所有</div></body></html>")
    return html.encode("gbk" if n % 4 == 0 else "utf-8")


def serve(ports: int, latency: float) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            if latency:
                time.sleep(latency)
            if not self.path.startswith("/news/"):
                body, status = b"not found", 404
            else:
                body, status = page(int(self.path.split("/")[2].split(".")[0])), 200
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client closing its keep-alive connection at exit is no error

    servers = [Server(("127.0.0.1", 0), Handler) for _ in range(ports)]
    for srv in servers:
        srv.daemon_threads = True
        Thread(target=srv.serve_forever, daemon=True).start()
    print(" ".join(str(s.server_address[1]) for s in servers), flush=True)
    sys.stdin.read()  # until the parent closes our stdin


def run(urls_file: Path, concurrency: int, workdir: Path) -> tuple[float, str]:
    db = workdir / f"bench-{concurrency}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "archiver", "--db", str(db), "archive", "-i", str(urls_file),
         "--concurrency", str(concurrency), "--delay", "0"],
        env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"archive failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.hosts, args.latency)
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--hosts", str(args.hosts),
         "--latency", str(args.latency)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        ports = server.stdout.readline().split()
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            urls = work / "urls.txt"
            urls.write_text("".join(
                f"http://127.0.0.1:{ports[n % len(ports)]}/news/{n}.html\n"
                for n in range(args.pages)
            ))
            print(f"{args.pages} pages on {len(ports)} local hosts, {args.latency * 1000:g} ms "
                  f"latency per response, --delay 0")
            results = {}
            for concurrency in (1, 8):
                elapsed, summary = run(urls, concurrency, work)
                results[concurrency] = elapsed
                print(f"--concurrency {concurrency}: {elapsed:6.2f} s  "
                      f"({args.pages / elapsed:5.1f} pages/s)  [{summary}]")
            print(f"speed-up of 8 over 1: {results[1] / results[8]:.2f}x")
    finally:
        server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
