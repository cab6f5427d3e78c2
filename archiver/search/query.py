"""The read side: query language → FTS5 expression + SQL, ranking, snippets.

Query language (every string is valid; user text only ever reaches FTS5 as quoted phrases of
tokens this module produced):

* words separated by spaces must all occur;
* a word typed without spaces is segmented with jieba's dictionary and each dictionary word must
  occur anywhere (云南矿场关停 → 云南, 矿场, 关停); characters left single stay together as typed
  (蜻岩蒸藩, 制性), and a lone single character is glued to its neighbour word (比特币);
* ``"exact phrase"`` (also “…” and 「…」) matches as typed; ``-word`` excludes; ``a OR b``.

Ranking: articles containing every query word *as typed* first, then those where every
dictionary word is also a jieba word of the article (华为 in 华为手机 above 中华为), then BM25 over
title (weighted) and body, then newer first.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from archiver.errors import QueryError, StoreError
from archiver.models import Hit, SearchResult
from archiver.search import dictionary
from archiver.search.segment import (
    SEP,
    char_tokens,
    fold,
    group_units,
    is_spaced,
    pieces,
    segment_query,
)
from archiver.store.archive import Archive

log = logging.getLogger("archiver")

TITLE_WEIGHT = 5.0
# A hit inside a longer Latin word (gpt in chatgpt) counts, but less than a whole token.
LATIN_WEIGHT = 0.3
SNIPPET_WIDTH = 120
# Chinese news without an offset is Beijing time, and so are dates typed in filters.
BEIJING = timezone(timedelta(hours=8))
# Far beyond any real query; keeps a pasted page from building a huge FTS5 expression.
MAX_TERMS = 64
MAX_UNIT_TOKENS = 200

_QUOTES = {'"': '"', "“": "”", "”": "”", "「": "」", "＂": "＂", "『": "』"}
_MINUS = ("-", "－")


# -- parsing ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Unit:
    """Something that must occur: matched as a phrase of its character tokens."""

    text: str  # folded
    word: bool  # a dictionary word: also checked against the article's jieba words

    @property
    def tokens(self) -> list[str]:
        return char_tokens(self.text)[:MAX_UNIT_TOKENS]


@dataclass(slots=True)
class Term:
    raw: str
    quoted: bool = False
    negated: bool = False
    units: list[Unit] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)  # tokens of the whole term as typed


def split_query(query: str) -> list[list[Term] | Term]:
    """Raw terms: OR-groups of positive terms (lists) and negated terms.

    >>> [[t.raw for t in g] if isinstance(g, list) else "-" + g.raw
    ...  for g in split_query('云南 "矿场 关停" OR 煤矿 -传闻')]
    [['云南'], ['矿场 关停', '煤矿'], '-传闻']
    """
    terms: list[Term | str] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch in _MINUS and i + 1 < n and not query[i + 1].isspace():
            negated = True
            i += 1
            ch = query[i]
        if ch in _QUOTES:
            close = _QUOTES[ch]
            end = query.find(close, i + 1)
            if ch in "“”":  # typed IMEs mix the two
                ends = [e for e in (query.find("”", i + 1), query.find("“", i + 1)) if e >= 0]
                end = min(ends) if ends else -1
            if end < 0:
                end = n
            terms.append(Term(query[i + 1 : end], quoted=True, negated=negated))
            i = end + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] not in _QUOTES:
            j += 1
        word = query[i:j]
        if word == "OR" and not negated:
            terms.append("OR")
        else:
            terms.append(Term(word, negated=negated))
        i = j
    out: list[list[Term] | Term] = []
    join_next = False
    for item in terms:
        if item == "OR":
            join_next = bool(out) and isinstance(out[-1], list)
            continue
        assert isinstance(item, Term)
        if item.negated:
            out.append(item)
        elif join_next and isinstance(out[-1], list):
            out[-1].append(item)
        else:
            out.append([item])
        join_next = False
    return out


class Segmenter:
    """Query-side segmentation: the archive's user dictionary, then the shared jieba dictionary
    file (see :mod:`archiver.search.dictionary`); jieba itself is never loaded."""

    def __init__(self, archive: Archive) -> None:
        self.conn = archive.conn
        self.known: dict[str, int] = {}
        try:
            self.total = dictionary.total()
            self.shared = True
        except (OSError, sqlite3.Error) as exc:
            # No cache folder can be written: unspaced runs then stay whole, matched as typed.
            log.warning("search dictionary unavailable (%s); queries are not segmented", exc)
            self.total, self.shared = 1, False

    def lookup(self, words: list[str]) -> Mapping[str, int]:
        todo = list({w for w in words if w not in self.known})
        if todo:
            found = dict(dictionary.lookup(todo)) if self.shared else {}
            for i in range(0, len(todo), 500):
                chunk = todo[i : i + 500]
                found.update(  # the user's entries win
                    self.conn.execute(
                        f"SELECT word, freq FROM search_dict WHERE word IN "
                        f"({','.join('?' * len(chunk))})",
                        chunk,
                    )
                )
            for w in todo:
                self.known[w] = found.get(w, 0)
        return {w: self.known[w] for w in words if self.known.get(w)}

    def units(self, folded: str) -> list[Unit]:
        out: list[Unit] = []
        for run, cjk in pieces(folded):
            if not cjk:
                out.append(Unit(run, word=False))
                continue
            words = segment_query(run, self.lookup, self.total)
            for unit in group_units(words):
                out.append(Unit(unit, word=len(unit) > 1 and bool(self.known.get(unit))))
        return out


def parse(archive: Archive, query: str) -> list[list[Term] | Term]:
    """Terms with their units, empty terms (only punctuation, emoji …) dropped."""
    segmenter = Segmenter(archive)
    parsed: list[list[Term] | Term] = []
    count = 0
    for group in split_query(query):
        members = group if isinstance(group, list) else [group]
        kept = []
        for term in members:
            if count >= MAX_TERMS:
                break
            folded = fold(term.raw)
            term.typed = char_tokens(folded)[:MAX_UNIT_TOKENS]
            if not term.typed:
                continue
            if term.quoted or term.negated:
                term.units = [Unit(folded, word=False)]
            else:
                term.units = [u for u in segmenter.units(folded) if u.tokens][:MAX_TERMS]
            count += 1
            kept.append(term)
        if kept:
            parsed.append(kept if isinstance(group, list) else kept[0])
    return parsed


# -- FTS5 expressions ---------------------------------------------------------------------------

def _phrase(tokens: list[str]) -> str:
    # Tokens are runs of letters/digits or single CJK characters: no quote can occur inside.
    text = '"' + " ".join(tokens) + '"'
    if tokens and not is_spaced(tokens[-1][0]):
        # A Latin/number run may continue in the text (mi300 in mi300x): Ctrl-F would find it.
        text += " *"
    return text


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def _or(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@dataclass(slots=True)
class Plan:
    match: str | None  # None: nothing can match
    typed: str | None  # articles with every term as typed (None: same as match)
    words: str | None  # search_words expression for the exact-word tier (None: no tier)
    needles: list[tuple[str, ...]]  # token sequences to highlight


def plan(terms: list[list[Term] | Term]) -> Plan:
    """Turn parsed terms into FTS5 expressions."""
    positive, typed, words, negative, needles = [], [], [], [], []
    typed_differs = False
    for group in terms:
        if isinstance(group, Term):
            negative.append(_phrase(group.typed))
            continue
        g_match, g_typed, g_words = [], [], []
        for term in group:
            g_match.append(_and([_phrase(u.tokens) for u in term.units]))
            g_typed.append(_phrase(term.typed))
            if len(term.units) > 1:
                typed_differs = True
            word_units = [u for u in term.units if u.word]
            g_words.append(_and([f'"{u.text}"' for u in word_units]) if word_units else None)
            needles.extend(tuple(u.tokens) for u in term.units)
            needles.append(tuple(term.typed))
        positive.append(_or(g_match))
        typed.append(_or(g_typed))
        if all(w is not None for w in g_words):
            words.append(_or([w for w in g_words if w is not None]))
    if not positive:
        return Plan(None, None, None, [])
    match = _and(positive)
    if negative:
        match = f"{match} NOT {_or(negative)}"
    return Plan(
        match=match,
        typed=_and(typed) if typed_differs else None,
        words=_and(words) if words else None,
        needles=[n for n in dict.fromkeys(needles) if n],
    )


# -- filters ------------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")


def parse_date(value: str | date | datetime | None, *, end: bool = False) -> str | None:
    """A filter bound as a UTC ISO string (what ``published`` holds).

    Dates and partial dates are Beijing days/months/years; ``end`` makes the bound the start of
    the next period, so ``until=2024-05`` includes all of May.

    >>> parse_date("2024-05-01")
    '2024-04-30T16:00:00+00:00'
    >>> parse_date("2024-05", end=True)
    '2024-05-31T16:00:00+00:00'
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=BEIJING)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=BEIJING)
        if end:
            moment += timedelta(days=1)
    else:
        text = str(value).strip()
        m = _DATE.match(text)
        try:
            if m:
                year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
                moment = datetime(year, month, day, tzinfo=BEIJING)
                if end and m[3]:
                    moment += timedelta(days=1)
                elif end and m[2]:
                    moment = moment.replace(year=year + month // 12, month=month % 12 + 1)
                elif end:
                    moment = moment.replace(year=year + 1)
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=BEIJING)
        except ValueError as exc:
            raise QueryError(
                f"cannot read the date {text!r}: {exc}",
                hint="use YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 time",
            ) from exc
    return moment.astimezone(timezone.utc).isoformat()


def _filters(
    source: str | None,
    site: str | None,
    author: str | None,
    category: str | None,
    since: object,
    until: object,
) -> tuple[list[str], list[object], bool]:
    where: list[str] = []
    params: list[object] = []
    needs_articles = False
    for column, value in (("source", source), ("site", site), ("author", author)):
        if value:
            # instr, not LIKE: the user's % and _ are literal.
            where.append(f"instr(lower(a.{column}), lower(?)) > 0")
            params.append(value)
            needs_articles = True
    if category:
        where.append(
            "EXISTS (SELECT 1 FROM json_each(a.categories) c WHERE lower(c.value) = lower(?))"
        )
        params.append(category)
        needs_articles = True
    low = parse_date(since)  # type: ignore[arg-type]
    high = parse_date(until, end=True)  # type: ignore[arg-type]
    if low:
        where.append("d.published >= ?")
        params.append(low)
    if high:
        where.append("d.published < ?")
        params.append(high)
    return where, params, needs_articles


# -- snippets -----------------------------------------------------------------------------------

Span = tuple[int, int]


_GAP = ""  # adjacent tokens touch; a SEP token stands for the punctuation between them


def _pattern(needles: list[tuple[str, ...]]) -> re.Pattern[str] | None:
    # Longest first, so the as-typed phrase wins over its words at the same place.
    alts = sorted(
        {_GAP.join(r"[\W_]+" if t == SEP else re.escape(t) for t in n) for n in needles if n},
        key=len,
        reverse=True,
    )
    return re.compile("|".join(alts)) if alts else None


def find_spans(folded: str, needles: list[tuple[str, ...]], cap: int = 500) -> list[Span]:
    """Merged ``(start, end)`` spans where the token sequences occur in ``folded`` (offsets are
    the original's, folding being length-preserving)."""
    pattern = _pattern(needles)
    if pattern is None:
        return []
    spans: list[Span] = []
    for m in pattern.finditer(folded):
        if m.end() > m.start():
            spans.append((m.start(), m.end()))
            if len(spans) >= cap:
                break
    merged: list[Span] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


_SENTENCE_END = "。！？!?；;\n"


def make_snippet(text: str, needles: list[tuple[str, ...]], width: int = SNIPPET_WIDTH
                 ) -> tuple[str, tuple[Span, ...]]:
    """A window of the original text around the densest cluster of hits, with hit offsets.

    >>> make_snippet("前文。华为发布新手机，中华为名。", [("华", "为")], width=8)
    ('…华为发布新手机，…', ((1, 3),))
    """
    spans = find_spans(fold(text), needles)
    if not spans:
        cut = text[:width]
        return cut.replace("\n", " ") + ("…" if len(text) > width else ""), ()
    best, best_count = spans[0][0], 0
    for s, _ in spans:
        count = sum(1 for s2, e2 in spans if s <= s2 and e2 <= s + width)
        if count > best_count:
            best, best_count = s, count
    # Start at the sentence holding the first hit when that is close, else a little before it.
    lead = width // 5
    start = max(0, best - lead)
    for k in range(best - 1, start - 1, -1):
        if text[k] in _SENTENCE_END:
            start = k + 1
            break
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start
    marks = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    )
    return snippet, marks


# -- search -------------------------------------------------------------------------------------

def search(
    archive: Archive,
    query: str,
    *,
    source: str | None = None,
    site: str | None = None,
    author: str | None = None,
    category: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Search the archive. Any ``query`` string is valid; bad filters raise
    :class:`~archiver.errors.QueryError`."""
    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}", hint="use relevance or date")
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    where, params, needs_articles = _filters(source, site, author, category, since, until)
    try:
        p = plan(parse(archive, query))
        if p.match is None:
            return SearchResult(query, 0, (), offset, limit)
        result = _run(archive, query, p, where, params, needs_articles, sort, limit, offset)
        if result.total == 0:
            # An archive filled before the index existed (or by an older version) finds
            # nothing until it is reindexed: say so rather than answer "no results".
            missing = archive.conn.execute(
                "SELECT (SELECT COUNT(*) FROM articles) - (SELECT COUNT(*) FROM search_docs)"
            ).fetchone()[0]
            if missing > 0:
                result = replace(result, unindexed=missing)
        return result
    except Exception as exc:
        import sqlite3

        if isinstance(exc, sqlite3.DatabaseError):
            raise StoreError(f"search failed in {archive.path}: {exc}") from exc
        raise


def _run(
    archive: Archive,
    query: str,
    p: Plan,
    where: list[str],
    params: list[object],
    needs_articles: bool,
    sort: str,
    limit: int,
    offset: int,
) -> SearchResult:
    conn = archive.conn
    join = "JOIN articles a ON a.id = d.article_id" if needs_articles else ""
    cond = " AND ".join(["search_chars MATCH ?", *where])
    base = f"FROM search_chars JOIN search_docs d ON d.docid = search_chars.rowid {join} " \
           f"WHERE {cond}"
    if limit == 0:
        total = conn.execute(f"SELECT COUNT(*) {base}", [p.match, *params]).fetchone()[0]
        return SearchResult(query, total, (), offset, limit)

    tier_sql, tier_params = "0", []
    if p.typed:
        tier_sql = (
            "(CASE WHEN search_chars.rowid IN (SELECT rowid FROM search_chars "
            "WHERE search_chars MATCH ?) THEN 0 ELSE 2 END)"
        )
        tier_params.append(p.typed)
    if p.words:
        tier_sql += (
            " + (CASE WHEN search_chars.rowid IN (SELECT rowid FROM search_words "
            "WHERE search_words MATCH ?) THEN 0 ELSE 1 END)"
        )
        tier_params.append(p.words)
    score_sql = f"-bm25(search_chars, {TITLE_WEIGHT}, 1.0, {LATIN_WEIGHT})"
    if sort == "date":
        # bm25 costs a scan of every phrase over the whole index (its IDF); a date sort
        # does not need it.
        order = "published IS NULL, published DESC, article_id DESC"
        score_sql, tier_sql, tier_params = "0.0", "0", []
    else:
        order = "tier, score DESC, published IS NULL, published DESC, article_id DESC"
    # bm25() only works next to the FTS5 cursor: score in a materialised CTE, count and sort
    # outside it.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT d.article_id AS article_id, d.published AS published, "
        f"{score_sql} AS score, {tier_sql} AS tier "
        f"{base}) SELECT article_id, score, tier, COUNT(*) OVER () FROM m "
        f"ORDER BY {order} LIMIT ? OFFSET ?"
    )
    # The window count rides on the ranking pass: evaluating the phrases a second time just to
    # count was a third of the time of a common query.
    ranked = conn.execute(sql, [*tier_params, p.match, *params, limit, offset]).fetchall()
    if ranked:
        total = ranked[0][3]
    else:  # paged past the end
        total = conn.execute(f"SELECT COUNT(*) {base}", [p.match, *params]).fetchone()[0]
        return SearchResult(query, total, (), offset, limit)
    ids = [r[0] for r in ranked]
    rows = {
        r[0]: r
        for r in conn.execute(
            f"SELECT id, url, title, text, published, source, site FROM articles "
            f"WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    hits = []
    for article_id, score, _tier, _total in ranked:
        row = rows.get(article_id)
        if row is None:  # deleted between the two statements
            continue
        _, url, title, text, published, src, site = row
        snippet, marks = make_snippet(text, p.needles)
        hits.append(
            Hit(
                id=article_id,
                url=url,
                title=title,
                published=datetime.fromisoformat(published) if published else None,
                source=src,
                site=site,
                score=round(score, 4),
                snippet=snippet,
                highlights=marks,
                title_highlights=tuple(find_spans(fold(title), p.needles)),
            )
        )
    return SearchResult(query, total, tuple(hits), offset, limit)


def matching_ids(
    archive: Archive,
    query: str,
    *,
    source: str | None = None,
    site: str | None = None,
    author: str | None = None,
    category: str | None = None,
) -> set[int]:
    """Ids of every article the query matches, with the same filters as :func:`search` (no
    ranking, no snippets): for exporting a search, and for measuring recall."""
    p = plan(parse(archive, query))
    if p.match is None:
        return set()
    where, params, needs_articles = _filters(source, site, author, category, None, None)
    join = "JOIN articles a ON a.id = d.article_id" if needs_articles else ""
    rows = archive.conn.execute(
        "SELECT d.article_id FROM search_chars JOIN search_docs d ON d.docid = search_chars.rowid "
        f"{join} WHERE " + " AND ".join(["search_chars MATCH ?", *where]),
        (p.match, *params),
    )
    return {r[0] for r in rows}
