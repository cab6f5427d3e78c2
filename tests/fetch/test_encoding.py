"""The charset policy on raw bytes, and the rule recorded for it."""

from __future__ import annotations

import codecs

import pytest

from archiver.capture.encoding import decode

TEXT = ("<html><head><title>新闻</title></head><body><p>"
        + "国家统计局今天发布数据，朱镕基总理当年主持经济工作的往事再次被提起。" * 2
        + "</p></body></html>")


@pytest.mark.parametrize(
    ("raw", "content_type", "charset", "reason"),
    [
        (TEXT.encode("utf-8"), None, "utf-8", "utf-8-valid"),
        (TEXT.encode("gbk"), None, "gb18030", "detected"),
        (TEXT.encode("gbk"), "text/html; charset=GB2312", "gb18030", "header"),
        (TEXT.encode("gbk"), "text/html; charset=utf-8", "gb18030",
         "detected (overruled header:utf-8)"),
        # Latin-1 is a server default, not a statement about the page.
        (TEXT.encode("gbk"), "text/html; charset=ISO-8859-1", "gb18030",
         "detected (overruled header:ISO-8859-1)"),
        (TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8",
         "utf-8-valid (overruled header:gbk)"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8", "bom"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None, "utf-16", "bom"),
        (('<meta charset="utf-16">' + TEXT).encode("utf-8"), None, "utf-8", "meta"),
        (('<meta charset="big5">' + "香港新聞報導" * 10).encode("big5"), None, "big5hkscs",
         "meta"),
        (b"", "text/html", "utf-8", "empty"),
        (b"plain ascii", "text/html; charset=nonsense-9", "utf-8",
         "utf-8-valid (overruled header:nonsense-9 unknown)"),
        (b"caf\xe9 au lait", "text/html; charset=iso-8859-1", "cp1252", "header"),
    ],
)
def test_decode_rule(raw, content_type, charset, reason):
    decoded = decode(raw, content_type)
    assert (decoded.charset, decoded.reason) == (charset, reason)
    assert "\ufffd" not in decoded.text


def test_gb2312_declaration_reads_gb18030_only_characters():
    raw = ('<meta charset="gb2312"><p>朱镕基、王堃和“𠮷”</p>' + "新闻" * 20).encode("gb18030")
    decoded = decode(raw)
    assert "朱镕基、王堃和“𠮷”" in decoded.text
    assert (decoded.charset, decoded.reason) == ("gb18030", "meta")
