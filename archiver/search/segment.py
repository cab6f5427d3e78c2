"""Text normalisation and the two token representations of the search index.

* **Folding** (both ends): one character in, one character out — Unicode NFKC (full-width →
  half-width, compatibility ideographs …), lower case, traditional → simplified by OpenCC's
  character table. Because the map is per character and length-preserving, a folded substring of
  a text is always a substring of the folded text (Ctrl-F recall survives folding), and offsets in
  the folded text are offsets in the original (snippets are cut from the original).
* **Characters** (recall): every CJK/kana/hangul character becomes its own token, Latin/digit runs
  stay whole; FTS5's ``unicode61`` tokenizer then sees one token per character, and a query string
  is matched as a phrase of its characters.
* **Words** (meaning and ranking): jieba words of two or more characters, cut by rjieba (the Rust
  port; same dictionary, ~15× faster than jieba measured on the news corpus) with one private,
  lazily built instance.

Queries are segmented without loading jieba at all: :func:`segment_query` runs jieba's own
algorithm (DAG of dictionary words, maximum-probability route) over a dictionary lookup function,
backed by a small SQLite file of jieba's dictionary (see :mod:`archiver.search.dictionary`).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# Scripts written without spaces: each character is one index token. Ext B+ are astral.
_SPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # CJK ext A
    (0x4E00, 0x9FFF),  # CJK unified
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility (folded to unified by NFKC)
    (0x20000, 0x3134F),  # CJK ext B … G
)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"[{_HAN}]+")
# A run the query language treats as one Latin/number term (unicode61 token characters minus CJK).
_SPACED_CLASS = "".join(f"{chr(a)}-{chr(b)}" for a, b in _SPACED_RANGES)
_PIECE = re.compile(f"([{_SPACED_CLASS}]+)|([^\\W_{_SPACED_CLASS}]+)")

# Stands for any run of spaces/punctuation between tokens, so a phrase never matches across a
# sentence or word break (中国。人民 is not 中国人). Private use: a unicode61 token character no
# text or query contains after this module is done with it.
SEP = "\ue000"
_SEP_RUN = re.compile(r"[\W_]+")

class _FoldTable(dict):
    """``str.translate`` table computed per character on first sight.

    Building it for all of Unicode up front costs ~0.13 s — most of a shell search — while a
    query and twenty snippets touch a few thousand distinct characters.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch).lower()
        # Length-preserving only: expansions (ligatures, ㎏ …) would break offset alignment.
        if len(folded) != 1:
            folded = ch
        if folded >= "\u3400":
            simple = _t2s(folded)
            if len(simple) == 1:
                folded = simple
        self[code] = folded
        return folded


class _IndexTable(dict):
    """Folding plus spaces around characters indexed one by one."""

    def __missing__(self, code: int) -> str:
        folded = fold_table()[code]
        value = f" {folded} " if is_spaced(chr(code)) or code == ord(SEP) else folded
        self[code] = value
        return value


_lock = threading.Lock()
_converter = None
_fold_table = _FoldTable()
_index_table = _IndexTable()


def _t2s(ch: str) -> str:
    """OpenCC's character-level traditional → simplified (one character, no phrase context)."""
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc  # here: a search that folds no CJK never pays for it

                _converter = opencc.OpenCC("t2s")
    return _converter.convert(ch)


def fold_table() -> dict[int, str]:
    """The ``str.translate`` table of :func:`fold`."""
    return _fold_table


def fold(text: str) -> str:
    """Normalise for matching; ``len(fold(s)) == len(s)`` always.

    Per character, so a folded substring is a substring of the folded text: NFKC (full-width →
    half-width …), lower case, traditional → simplified.

    >>> fold("比特幣 ＷＩＮ１１")
    '比特币 win11'
    """
    return text.translate(_fold_table)


def index_chars(text: str) -> str:
    """The character representation fed to FTS5: folded, with CJK characters space-separated.

    One regex pass and one ``str.translate``: the whole cost of the recall representation.

    >>> index_chars("华为P60发布").split()
    ['华', '为', 'p60', '发', '布']
    >>> index_chars("中国。人民").split() == ["中", "国", SEP, "人", "民"]
    True
    """
    return _SEP_RUN.sub(SEP, text).translate(_index_table)


# Latin (with accents), Greek, Cyrillic and digits: an explicit class scans ~3× faster than
# [^\W_] over index_chars() output, where CJK characters stand alone anyway.
_LATIN_RUN = re.compile("[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]{3,32}")


def latin_suffixes(indexed: str) -> str:
    """Distinct proper suffixes (≥ 2 characters) of the Latin/digit runs of an index string.

    Ctrl-F finds ``gpt`` in ``chatgpt``; a prefix query over these suffixes does too. Runs over
    32 characters (hashes, URL ids) are skipped.

    >>> sorted(latin_suffixes(index_chars("ChatGPT发布")).split())
    ['atgpt', 'gpt', 'hatgpt', 'pt', 'tgpt']
    """
    seen = {run[i:] for run in _LATIN_RUN.findall(indexed) for i in range(1, len(run) - 1)}
    return " ".join(seen)


def is_spaced(ch: str) -> bool:
    """True for characters indexed one by one (CJK, kana, hangul)."""
    code = ord(ch)
    return any(a <= code <= b for a, b in _SPACED_RANGES)


def pieces(folded: str) -> Iterator[tuple[str, bool]]:
    """Runs of a folded string: ``(run, is_cjk)``; punctuation and spaces separate runs."""
    for m in _PIECE.finditer(folded):
        if m.group(1):
            yield m.group(1), True
        else:
            yield m.group(2), False


def char_tokens(folded: str) -> list[str]:
    """The index tokens of a folded string, as FTS5's unicode61 will see them (separators
    between tokens included, none at the ends)."""
    out: list[str] = []
    end = -1
    for m in _PIECE.finditer(folded):
        if out and m.start() > end:
            out.append(SEP)
        end = m.end()
        if m.group(1):
            out.extend(m.group(1))
        else:
            out.append(m.group(2))
    return out


# -- dictionaries -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DictEntry:
    word: str
    freq: int | None
    tag: str | None


def parse_dict_lines(lines: Iterable[str]) -> Iterator[DictEntry]:
    """Entries of a jieba-format dictionary: ``word [freq] [tag]`` per line; ``#`` comments."""
    for raw in lines:
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest[0])
            rest = rest[1:]
        if rest:
            tag = rest[0]
        yield DictEntry(word, freq, tag)


def read_dict_file(path: str | Path) -> list[DictEntry]:
    """A user dictionary file (UTF-8, jieba format)."""
    with open(path, encoding="utf-8-sig") as fh:
        return list(parse_dict_lines(fh))


def news_dict() -> list[DictEntry]:
    """The shipped supplementary dictionary of news terms jieba's dictionary lacks."""
    text = resources.files("archiver.search").joinpath("data/news_dict.txt").read_text("utf-8")
    return list(parse_dict_lines(text.splitlines()))


def jieba_dict_path() -> Path:
    """jieba's main dictionary file (found without importing jieba, which builds a global)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


# -- the word segmenter (index side) ------------------------------------------------------------

class WordCutter:
    """One private rjieba instance with the supplementary and user words added.

    Built lazily on first use (~0.1 s); never the module-global instance jieba/rjieba keep.
    """

    def __init__(self, extra: Iterable[tuple[str, int | None, str | None]] = ()) -> None:
        self._extra = tuple(extra)
        self._jieba = None

    def _instance(self):  # noqa: ANN202 - rjieba ships no useful type for this
        if self._jieba is None:
            try:
                from rjieba import Jieba

                jb = Jieba()
            except ImportError:  # same dictionary and algorithm, ~15× slower
                import jieba

                jb = jieba.Tokenizer()
            for word, freq, tag in self._extra:
                jb.add_word(word, freq, tag)
            self._jieba = jb
        return self._jieba

    def words(self, text: str) -> str:
        """Distinct folded words (≥ 2 characters, at least one CJK) as one space-separated string.

        Cut on the original text (jieba's dictionary is simplified Chinese in its own forms),
        folded afterwards so query and index agree.
        """
        cut = self._instance().cut(text)
        # Distinct first, then one translate over them all: per-word calls cost more than the cut.
        # A word must end in a CJK character (cheap test instead of a regex per word): Latin
        # and number runs are matched in the character index and never need the word tier.
        joined = " ".join({w for w in cut if len(w) > 1 and w[-1] >= "\u3400"})
        return " ".join(set(joined.translate(fold_table()).split(" ")))


# -- the query segmenter (no jieba load) --------------------------------------------------------

# jieba's longest dictionary words are ~16 characters; longer candidates are never looked up.
MAX_WORD = 12


def segment_query(run: str, lookup: Callable[[list[str]], Mapping[str, int]], total: int
                  ) -> list[str]:
    """Cut a folded CJK run as jieba does without HMM: words of the maximum-probability route
    through the DAG of dictionary words. ``lookup`` returns the frequencies of those candidates
    that are dictionary words; ``total`` is the dictionary's total frequency.

    >>> known = {"云南": 9, "矿场": 3, "关停": 2}
    >>> segment_query("云南矿场关停", lambda ws: {w: known[w] for w in ws if w in known}, 100)
    ['云南', '矿场', '关停']
    """
    n = len(run)
    if n <= 1:
        return [run] if run else []
    candidates = [run[i:j] for i in range(n) for j in range(i + 2, min(n, i + MAX_WORD) + 1)]
    freqs = lookup(candidates) if candidates else {}
    log_total = math.log(total or 1)
    # route[i] = (best log-prob of run[i:], end of the first word)
    route: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = (math.log(1) - log_total + route[i + 1][0], i + 1)
        for j in range(i + 2, min(n, i + MAX_WORD) + 1):
            freq = freqs.get(run[i:j])
            if freq:
                score = math.log(freq) - log_total + route[j][0]
                if score > best[0]:
                    best = (score, j)
        route[i] = best
    words, i = [], 0
    while i < n:
        j = route[i][1]
        words.append(run[i:j])
        i = j
    return words


def group_units(words: list[str]) -> list[str]:
    """Units a query run must match: dictionary words, and runs of characters the segmenter left
    single kept together as typed (unknown names, fragments). A lone single character joins the
    word before it (or after it), so 比特/币 stays 比特币 instead of matching 币 anywhere.

    >>> group_units(["云南", "矿场", "关停"])
    ['云南', '矿场', '关停']
    >>> group_units(["蜻", "岩", "蒸", "藩"])
    ['蜻岩蒸藩']
    >>> group_units(["比特", "币"])
    ['比特币']
    """
    units: list[str] = []
    single = ""
    for word in [*words, ""]:
        if len(word) == 1:
            single += word
            continue
        if len(single) > 1 or (single and not units and not word):
            units.append(single)
        elif single and units:
            units[-1] += single
        elif single:
            word = single + word
        if word:
            units.append(word)
        single = ""
    return units
