"""Properties: decompression is independent of how the stream is chunked and never exceeds its
cap; the charset policy never raises and round-trips what it detects."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.capture.encoding import decode
from archiver.capture.fetch import _Inflater, _TooBig
from archiver.errors import FetchError


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    parts, last = [], 0
    for p in points:
        parts.append(data[last:p])
        last = p
    parts.append(data[last:])
    return parts


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=5000), st.lists(st.integers(0, 10_000), max_size=8),
       st.sampled_from(["gzip", "deflate", ""]))
def test_inflate_any_chunking(payload, cuts, coding):
    if coding == "gzip":
        packed = gzip.compress(payload)
    elif coding == "deflate":
        packed = zlib.compress(payload)
    else:
        packed = payload
    inflater = _Inflater(coding, limit=10_000)
    out = b"".join(inflater.feed(part) for part in _split(packed, cuts))
    assert out == payload


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4000), st.lists(st.integers(0, 100_000), max_size=5))
def test_inflate_never_exceeds_cap(limit, cuts):
    packed = gzip.compress(bytes(50_000))
    inflater = _Inflater("gzip", limit=limit)
    produced = 0
    with pytest.raises(_TooBig):
        for part in _split(packed, cuts):
            produced += len(inflater.feed(part))
    assert produced <= limit


def test_damaged_gzip_is_a_fetch_error():
    with pytest.raises(FetchError, match="damaged gzip data"):
        _Inflater("gzip", limit=1000).feed(b"\x1f\x8b\x08\x00garbage-garbage")


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "text/html", "text/html; charset=gbk",
                                                  "text/html; charset=utf-8",
                                                  "text/html; charset=x-unknown"]))
def test_decode_never_raises(raw, content_type):
    decoded = decode(raw, content_type)
    assert isinstance(decoded.text, str) and decoded.charset and decoded.reason


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=20,
               max_size=200))
def test_declared_gb2312_reads_back_exactly(text):
    raw = ('<meta charset="gb2312">' + text).encode("gb18030")
    assert decode(raw).text.endswith(text)
