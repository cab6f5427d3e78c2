"""Score archiver's extractor against trafilatura and readability-lxml on extract-dev.

Usage::

    python benchmarks/extract.py [--data ../shared/extract-dev] [--only ours] [--show-fails]

Scoring (from extract-dev/README.md): body text as a bag of tokens (a single CJK character, or a
lower-cased Latin/digit word), precision/recall/F1 of the multiset overlap per case, averaged
over cases (an empty extraction scores 0); title exact after whitespace normalisation; date the
same calendar day; author exact after whitespace normalisation, over cases that have one.
This is a measurement, not a test: it prints tables and never fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archiver.capture.encoding import decode  # noqa: E402
from archiver.errors import ArchiverError  # noqa: E402
from archiver.extract.parse import parse_html  # noqa: E402

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[a-z0-9]+")
# The benchmark's capture time: one fixed instant so that runs compare.
FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Result:
    title: str | None
    text: str
    date: str | None  # YYYY-MM-DD
    author: str | None


@dataclass(frozen=True)
class Case:
    case_id: str
    group: str  # zh / general / modern
    html: str
    expected: dict


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def prf(got: str, want: str) -> tuple[float, float, float]:
    g, w = tokens(got), tokens(want)
    if not g or not w:
        return 0.0, 0.0, 0.0
    overlap = sum((g & w).values())
    p, r = overlap / sum(g.values()), overlap / sum(w.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def load_cases(data: Path) -> list[Case]:
    cases = []
    for folder, fixed_group in (("cases", None), ("cases-modern", "modern")):
        for path in sorted((data / folder).glob("*/expected.json")):
            expected = json.loads(path.read_text(encoding="utf-8"))
            raw = (path.parent / "source.html").read_bytes()
            html = decode(raw).text
            group = fixed_group or expected.get("set", "general")
            cases.append(Case(path.parent.name, group, html, expected))
    return cases


def ours(case: Case) -> Result:
    try:
        article = parse_html(case.html, url=case.expected.get("url"), fetched_at=FETCHED)
    except ArchiverError:
        return Result(None, "", None, None)
    date = article.published.date().isoformat() if article.published else None
    return Result(article.title, article.text, date, article.author)


def trafilatura_extract(case: Case) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(case.html, url=case.expected.get("url"), with_metadata=True)
    if doc is None:
        return Result(None, "", None, None)
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    return Result(get("title"), get("text") or "", (get("date") or None) and str(get("date"))[:10],
                  get("author"))


def readability_extract(case: Case) -> Result:
    import lxml.html
    from readability import Document

    doc = Document(case.html)
    try:
        summary = doc.summary(html_partial=True)
        text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
        title = doc.short_title()
    except Exception:  # readability raises bare exceptions on odd pages
        return Result(None, "", None, None)
    return Result(title, text, None, None)


EXTRACTORS: dict[str, Callable[[Case], Result]] = {
    "archiver": ours,
    "trafilatura": trafilatura_extract,
    "readability": readability_extract,
}


def run_all(cases: list[Case], names: list[str]) -> dict[str, tuple[list[Result], float]]:
    """Every extractor on every case, interleaved case by case so that a change in machine
    load (the machine is shared) weighs on all extractors alike; returns results and seconds."""
    for name in names:
        EXTRACTORS[name](cases[0])  # warm-up: imports and caches are not what docs/s measures
    results: dict[str, list[Result]] = {name: [] for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for case in cases:
        for name in names:
            start = time.perf_counter()
            results[name].append(EXTRACTORS[name](case))
            seconds[name] += time.perf_counter() - start
    return {name: (results[name], seconds[name]) for name in names}


def score(cases: list[Case], results: list[Result], elapsed: float, show_fails: bool,
          name: str) -> dict:
    f1s, ps, rs = [], [], []
    titles = dates = authors = 0
    n_title = n_date = n_author = 0
    for case, res in zip(cases, results, strict=True):
        exp = case.expected
        p, r, f = prf(res.text, exp.get("text") or "")
        ps.append(p), rs.append(r), f1s.append(f)
        if exp.get("title"):
            n_title += 1
            ok = norm(res.title) == norm(exp["title"])
            titles += ok
            if show_fails and not ok:
                print(f"  [{name}] title {case.case_id}: {res.title!r} != {exp['title']!r}")
        if exp.get("date"):
            n_date += 1
            ok = res.date == exp["date"]
            dates += ok
            if show_fails and not ok:
                print(f"  [{name}] date {case.case_id}: {res.date} != {exp['date']}")
        if exp.get("author"):
            n_author += 1
            ok = norm(res.author) == norm(exp["author"])
            authors += ok
            if show_fails and not ok:
                print(f"  [{name}] author {case.case_id}: {res.author!r} != {exp['author']!r}")
        if show_fails and f < 0.9:
            print(f"  [{name}] body {case.case_id}: P={p:.2f} R={r:.2f} F1={f:.2f}")
    n = len(cases)
    return {
        "P": sum(ps) / n, "R": sum(rs) / n, "F1": sum(f1s) / n,
        "title": titles / n_title if n_title else None,
        "date": dates / n_date if n_date else None,
        "author": authors / n_author if n_author else None,
        "docs/s": n / elapsed if elapsed else float("inf"),
        "n": (n, n_title, n_date, n_author),
    }


def fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "extract-dev"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--only", choices=sorted(EXTRACTORS), action="append")
    parser.add_argument("--group", choices=("zh", "general", "modern"), action="append")
    parser.add_argument("--show-fails", action="store_true")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    cases = load_cases(args.data)
    names = args.only or list(EXTRACTORS)
    for group in args.group or ("zh", "general", "modern"):
        subset = [c for c in cases if c.group == group]
        if not subset:
            continue
        runs = run_all(subset, names)
        rows = {name: score(subset, *runs[name], args.show_fails, name) for name in names}
        n = next(iter(rows.values()))["n"]
        print(f"\n== {group}: {n[0]} cases (title {n[1]}, date {n[2]}, author {n[3]})")
        print(f"{'extractor':<12} {'body P':>6} {'body R':>6} {'bodyF1':>6} {'title':>6} "
              f"{'date':>6} {'author':>6} {'docs/s':>7}")
        for name, row in rows.items():
            print(f"{name:<12} {fmt(row['P'])} {fmt(row['R'])} {fmt(row['F1'])} "
                  f"{fmt(row['title'])} "
                  f"{fmt(row['date'])} {fmt(row['author'])} {row['docs/s']:7.1f}")
        if "archiver" in rows and "trafilatura" in rows:
            ratio = rows["archiver"]["docs/s"] / rows["trafilatura"]["docs/s"]
            print(f"speed archiver / trafilatura: {ratio:.2f}x")


if __name__ == "__main__":
    main()
