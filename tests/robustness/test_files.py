"""Hostile files for `import`: damaged WARC, files that vanish mid-import."""

from __future__ import annotations

import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.pipeline import import_paths

ZH = "这是一段很长的中文新闻正文，用于测试导入是否稳健。" * 12
PAGE = (f"<html><head><title>标题</title></head><body><h1>标题</h1><p>{ZH}</p></body></html>"
        ).encode()


def _warc(path, uris):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri in uris:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(PAGE),
                                                      http_headers=http))
    path.write_bytes(buf.getvalue())


def test_warc_with_hostile_target_uris(tmp_path, archive):
    path = tmp_path / "a.warc.gz"
    _warc(path, ["http://ok.example/1", "http://[::1", "http://a.com:99999/x",
                 "", "http://ok.example/2"])  # "" = a response without WARC-Target-URI
    results = []
    summary = import_paths(archive, [path], on_result=results.append)
    assert summary.imported == 1
    messages = [r.message for r in results if r.message]
    assert all("\n" not in m for m in messages)
    assert any("invalid URL" in m for m in messages)
    assert any("damaged WARC file" in m for m in messages)


def test_a_file_vanishing_mid_import(tmp_path, archive):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.jsonl").write_text(json.dumps(
            {"title": name, "text": ZH + name}, ensure_ascii=False) + "\n", encoding="utf-8")

    def vanish(result) -> None:  # once a.jsonl is stored, b.jsonl disappears
        (src / "b.jsonl").unlink(missing_ok=True)

    results = []
    summary = import_paths(archive, [src], batch_size=1,
                           on_result=lambda r: (results.append(r), vanish(r)))
    # A file gone before it is reached is no input any more: the others are imported.
    assert summary.imported == 2
    assert {r.origin.rsplit("/", 1)[-1].split(":")[0] for r in results} == {"a.jsonl", "c.jsonl"}


def test_a_named_file_that_is_gone(tmp_path, archive):
    results = []
    summary = import_paths(archive, [tmp_path / "gone.jsonl"], on_result=results.append)
    assert summary.failed == 1
    assert "No such file" in results[0].message and "\n" not in results[0].message


def test_warc_not_article_with_a_bad_uri_does_not_stop_the_file(tmp_path, archive):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    placeholder = "<html><body>原文已被删除</body></html>".encode()
    for uri, body in (("http://[::1", placeholder),
                      ("http://ok.example/1", PAGE)):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                      http_headers=http))
    path = tmp_path / "b.warc.gz"
    path.write_bytes(buf.getvalue())
    assert import_paths(archive, [path]).imported == 1
