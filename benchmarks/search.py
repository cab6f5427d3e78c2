"""Chinese search benchmark: ours against naive jieba-FTS5 and FTS5 trigram, built in the same run.

    python benchmarks/search.py                   # 20k articles, with the baselines
    python benchmarks/search.py --docs 100000 --no-baselines   # scaling (corpus repeated)

Prints index build time and docs/s, index size vs text size, query latency p50/p95 (top 20 with
snippets, in process), `archiver search` whole-process median wall time, and recall/precision
against the exact-substring truth (a scan of the folded texts) for generated query classes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archiver.pipeline import import_paths  # noqa: E402
from archiver.search import reindex, search  # noqa: E402
from archiver.search.query import matching_ids  # noqa: E402
from archiver.search.segment import fold  # noqa: E402
from archiver.store import Archive  # noqa: E402

CORPUS = ROOT.parent / "shared" / "news-corpus" / "news-20k.jsonl.gz"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/news-corpus/news-20k.jsonl.gz")
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def load(limit: int) -> list[dict]:
    base = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            base.append(json.loads(line))
    out = []
    copy = 0
    while len(out) < limit:
        for rec in base:
            if len(out) >= limit:
                break
            rec = dict(rec)
            # Copies get new ids (and URLs: an article's identity) so they are new articles.
            rec["id"] = f"{rec['id']}-{copy}"
            rec["url"] = f"https://bench.example/{rec['id']}"
            out.append(rec)
        copy += 1
    return out


def write_jsonl(records: list[dict], path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def table_bytes(conn: sqlite3.Connection, prefix: str) -> int:
    return conn.execute(
        "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE ? || '%'", (prefix,)
    ).fetchone()[0]


# -- query classes ------------------------------------------------------------------------------

def make_queries(records: list[dict], cut: Callable[[str], list[str]], rng: random.Random
                 ) -> dict[str, list[str]]:
    sample = rng.sample(records, min(3000, len(records)))
    words: list[str] = []
    crossing: list[str] = []
    multi: list[str] = []
    for rec in sample:
        toks = cut(rec["text"][:1500])
        words.extend(t for t in toks if HAN.match(t))
        for a, b in zip(toks, toks[1:]):
            if HAN.match(a) and HAN.match(b) and len(a) >= 2 and len(b) >= 2:
                crossing.append(a[-1] + b[0])  # the end of one word and the start of the next
                multi.append(f"{a} {b}")
    latin = set()
    for rec in sample:
        latin.update(re.findall(r"(?<![A-Za-z0-9])(?:[A-Za-z]+\d+[A-Za-z0-9]*|[A-Za-z]{3,})"
                                r"(?![A-Za-z0-9])", rec["text"]))
    distinct = sorted(set(words))

    def pick(pool: list[str], k: int = 60) -> list[str]:
        pool = sorted(set(pool))
        return rng.sample(pool, min(k, len(pool)))

    import opencc

    s2t = opencc.OpenCC("s2t")
    trad = [(w, s2t.convert(w)) for w in pick([w for w in distinct if len(w) >= 2], 400)]
    trad = [t for w, t in trad if t != w][:60]
    chars = sorted({c for w in distinct for c in w})
    misses = []
    return {
        "2-char words": pick([w for w in distinct if len(w) == 2]),
        "3-4-char words": pick([w for w in distinct if len(w) in (3, 4)]),
        "multi-word (spaced)": pick(multi),
        "multi-word (unspaced)": [m.replace(" ", "") for m in pick(multi)],
        "Latin/number terms": pick(sorted(latin)),
        "crossing jieba boundaries": pick(crossing),
        "traditional forms": trad,
        "misses": misses,
        "_chars": chars,  # used to build misses once the truth index exists
    }


class Truth:
    """Exact-substring truth by scanning the folded texts as stored (the import moves bylines
    such as 来源：… and [责任编辑：…] out of the text, so the records are not the truth)."""

    def __init__(self, archive: Archive) -> None:
        self.docs = [
            (i, fold(title), fold(text))
            for i, title, text in archive.conn.execute("SELECT id, title, text FROM articles")
        ]

    def find(self, query: str) -> set[int]:
        parts = [fold(p) for p in query.split()]
        return {i for i, t, b in self.docs if all(p in t or p in b for p in parts)}


# -- baselines ----------------------------------------------------------------------------------

def build_baselines(records: list[dict], ids: list[int], path: Path,
                    cut: Callable[[str], list[str]]) -> dict[str, tuple[float, int]]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE VIRTUAL TABLE naive USING fts5(title, body)")
    conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, body, tokenize='trigram')")
    out = {}
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO naive (rowid, title, body) VALUES (?, ?, ?)",
        ((i, " ".join(cut(r["title"])), " ".join(cut(r["text"]))) for i, r in zip(ids, records)),
    )
    conn.execute("COMMIT")
    out["naive jieba-FTS5"] = (time.perf_counter() - t0, table_bytes(conn, "naive"))
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO tri (rowid, title, body) VALUES (?, ?, ?)",
        ((i, r["title"], r["text"]) for i, r in zip(ids, records)),
    )
    conn.execute("COMMIT")
    out["FTS5 trigram"] = (time.perf_counter() - t0, table_bytes(conn, "tri"))
    conn.close()
    return out


def naive_ids(conn: sqlite3.Connection, query: str, cut: Callable[[str], list[str]]) -> set[int]:
    toks = [t for q in query.split() for t in cut(q) if t.strip() and re.search(r"\w", t)]
    if not toks:
        return set()
    expr = " AND ".join('"' + t.replace('"', '""') + '"' for t in toks)
    try:
        return {r[0] for r in conn.execute("SELECT rowid FROM naive WHERE naive MATCH ?", (expr,))}
    except sqlite3.OperationalError:
        return set()


def trigram_ids(conn: sqlite3.Connection, query: str) -> set[int]:
    parts = query.split()
    if any(len(p) < 3 for p in parts):
        return set()  # FTS5 trigram cannot match fewer than three characters
    expr = " AND ".join('"' + p.replace('"', '""') + '"' for p in parts)
    try:
        return {r[0] for r in conn.execute("SELECT rowid FROM tri WHERE tri MATCH ?", (expr,))}
    except sqlite3.OperationalError:
        return set()


# -- main ---------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--reuse", action="store_true",
                    help="query the archive a previous run left in --workdir (no build)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# search benchmark: {args.docs:,} articles, work dir {work}, "
          f"{os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}")

    records = load(args.docs)
    text_bytes = sum(len(r["title"].encode()) + len(r["text"].encode()) for r in records)
    print(f"text: {text_bytes / 1e6:.1f} MB (titles + bodies, UTF-8)")
    src = work / "corpus.jsonl.gz"
    db = work / "archive.db"
    if not args.reuse:
        write_jsonl(records, src)
        # Ours, through the real import (parse, store, index in one transaction per 500).
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    archive = Archive(db)
    if not args.reuse:
        t0 = time.perf_counter()
        summary = import_paths(archive, [src])
        t_import = time.perf_counter() - t0
        print(f"\n## build\nours: import + index {summary.imported:,} articles: {t_import:.1f} s "
              f"({summary.imported / t_import:,.0f} docs/s)")
        t0 = time.perf_counter()
        reindex(archive)
        t_index = time.perf_counter() - t0
        print(f"ours: index alone (reindex from the articles table, incl. optimize): "
              f"{t_index:.1f} s ({summary.imported / t_index:,.0f} docs/s)")
    archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ours_bytes = table_bytes(archive.conn, "search_chars") + table_bytes(archive.conn,
                                                                         "search_words")
    other = table_bytes(archive.conn, "search_docs") + table_bytes(archive.conn, "search_dict")
    ids = [r[0] for r in archive.conn.execute("SELECT id FROM articles ORDER BY id")]
    assert len(ids) == len(records)

    from rjieba import Jieba

    jb = Jieba()
    queries = make_queries(records, jb.cut, rng)
    chars = queries.pop("_chars")
    truth = Truth(archive)
    while len(queries["misses"]) < 30:
        q = "".join(rng.sample(chars, 4))
        if not truth.find(q):
            queries["misses"].append(q)

    baselines: dict[str, tuple[float, int]] = {}
    bconn = None
    if not args.no_baselines and not args.reuse:
        bpath = work / "baselines.db"
        bpath.unlink(missing_ok=True)
        # Baseline tokens come from rjieba (jieba's dictionary and algorithm; 99.7 % identical
        # cuts measured): building with jieba itself would add ~1 s per MB.
        baselines = build_baselines(records, ids, bpath, jb.cut)
        bconn = sqlite3.connect(bpath)
        for name, (secs, _size) in baselines.items():
            print(f"{name}: {secs:.1f} s ({len(records) / secs:,.0f} docs/s)")

    print("\n## size (FTS tables vs text)")
    from archiver.search import dictionary

    shared = dictionary.ensure().stat().st_size
    print(f"ours: {ours_bytes / 1e6:.1f} MB = {ours_bytes / text_bytes:.2f}x text "
          f"(+ {other / 1e6:.1f} MB docid map and user dictionary = "
          f"{(ours_bytes + other) / text_bytes:.2f}x; + the machine's shared query dictionary "
          f"{shared / 1e6:.1f} MB, once for all archives)")
    for name, (_secs, size) in baselines.items():
        print(f"{name}: {size / 1e6:.1f} MB = {size / text_bytes:.2f}x text")

    print("\n## recall / precision against exact-substring truth (micro-averaged)")
    header = f"{'class':28} {'n':>3}  {'ours R':>7} {'ours P':>7}"
    if bconn:
        header += f"  {'naive R':>7} {'naive P':>7}  {'tri R':>7} {'tri P':>7}"
    print(header)
    for name, qs in queries.items():
        rows = {"ours": [0, 0, 0], "naive": [0, 0, 0], "tri": [0, 0, 0]}  # tp, truth, found
        for q in qs:
            expected = truth.find(q)
            if name == "traditional forms":
                expected = truth.find(q) | truth.find(fold(q))
            got = {"ours": matching_ids(archive, q)}
            if bconn:
                got["naive"] = naive_ids(bconn, q, jb.cut)
                got["tri"] = trigram_ids(bconn, q)
            for k, found in got.items():
                rows[k][0] += len(found & expected)
                rows[k][1] += len(expected)
                rows[k][2] += len(found)

        def rp(k: str, rows: dict[str, list[int]] = rows) -> str:
            tp, t, f = rows[k]
            r = tp / t if t else 1.0
            p = tp / f if f else (1.0 if not t else 0.0)
            return f"{r:7.3f} {p:7.3f}"

        line = f"{name:28} {len(qs):>3}  {rp('ours')}"
        if bconn:
            line += f"  {rp('naive')}  {rp('tri')}"
        print(line)
    # The query language ANDs the words of an unspaced query (云南矿场关停 → 云南, 矿场, 关停);
    # its precision against "the string as typed" is low by design, so also against the words.
    tp = found_n = 0
    for spaced in queries["multi-word (spaced)"]:
        got = matching_ids(archive, spaced.replace(" ", ""))
        tp += len(got & truth.find(spaced))
        found_n += len(got)
    print(f"{'  unspaced, vs all words occur':28}      {'':7} {tp / max(found_n, 1):7.3f}")

    print("\n## latency (top 20 with snippets, in process)")
    allq = [q for qs in queries.values() for q in qs]
    lat = []
    for q in allq:
        t0 = time.perf_counter()
        search(archive, q, limit=20)
        lat.append((time.perf_counter() - t0) * 1000)
    print(f"ours: p50 {pct(lat, 0.5):.1f} ms, p95 {pct(lat, 0.95):.1f} ms, max {max(lat):.1f} ms "
          f"over {len(lat)} queries")
    common = ["中国", "发展", "的"]
    for q in common:
        t0 = time.perf_counter()
        r = search(archive, q, limit=20)
        print(f"  very common {q!r}: {r.total:,} hits, {(time.perf_counter() - t0) * 1000:.1f} ms")

    print("\n## `archiver search` whole process (median of 9)")
    walls = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for q in rng.sample(allq, 9):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "archiver", "--db", str(db), "search", q],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import archiver.cli"], check=True, env=env)
    base = time.perf_counter() - t0
    print(f"ours: median {statistics.median(walls):.3f} s (python + `import archiver.cli` alone: "
          f"{base:.3f} s)")
    archive.close()


if __name__ == "__main__":
    main()
