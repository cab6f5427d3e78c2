"""JSON Lines import; bad inputs get one clear line each, the batch goes on, nothing is half
written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from archiver.pipeline import import_paths
from tests.conftest import FIXTURES

SAMPLE = FIXTURES / "news-sample.jsonl"


def _records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def test_jsonl_import_fields(archive):
    summary = import_paths(archive, [SAMPLE])
    records = _records()
    assert summary.imported == len(records) and summary.failed == 0
    first = records[0]
    stored = archive.get(archive.conn.execute(
        "SELECT id FROM articles WHERE title = ?", (first["title"],)).fetchone()[0])
    a = stored.article
    assert a.source == first["source"]
    assert a.published.date().isoformat() == first["date"]
    assert a.published.utcoffset().total_seconds() == 8 * 3600
    # Paragraphs of the record (one per line) become paragraphs separated by a blank line.
    expected = [line.strip() for line in first["text"].split("\n") if line.strip()]
    assert a.text.split("\n\n") == [" ".join(p.split()) for p in expected]


def test_gzip_jsonl_and_reimport_is_unchanged(tmp_path: Path, archive):
    packed = tmp_path / "news.jsonl.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert import_paths(archive, [packed]).imported == len(_records())
    again = import_paths(archive, [packed, SAMPLE])
    assert again.imported == 0 and again.unchanged == 2 * len(_records())


def test_truncated_gzip_keeps_whole_records_and_reports_the_file(tmp_path: Path, archive):
    data = gzip.compress(SAMPLE.read_bytes())
    broken = tmp_path / "cut.jsonl.gz"
    broken.write_bytes(data[: len(data) // 2])
    results = []
    summary = import_paths(archive, [broken], on_result=results.append)
    assert summary.failed == 1
    (failure,) = [r for r in results if r.status == "failed"]
    assert "cut.jsonl.gz" in failure.message and "gzip" in failure.message
    assert "\n" not in failure.message
    # Whatever was read before the damage is whole: every stored article has its full text.
    by_title = {r["title"]: r for r in _records()}
    for stored in archive.iter_articles(limit=None):
        record = by_title[stored.article.title]
        assert stored.article.text.replace("\n\n", "").replace(" ", "") == \
            record["text"].replace("\n", "").replace(" ", "")


def test_bad_lines_fail_alone(tmp_path: Path, archive):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:3]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([lines[0], "{not json", '{"title": "无正文"}', lines[1], "[1]",
                                lines[2]]) + "\n", encoding="utf-8")
    results = []
    summary = import_paths(archive, [mixed], on_result=results.append)
    assert summary.imported == 3 and summary.failed == 3
    messages = [r.message for r in results if r.status == "failed"]
    assert any("line 2" in m for m in messages)
    assert any("mixed.jsonl:3" in m and "text" in m for m in messages)


def test_bad_files_each_get_one_line_and_the_batch_goes_on(tmp_path: Path, archive):
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "nofm.md").write_text("只是一段文字，没有 front matter。\n", encoding="utf-8")
    post = (FIXTURES / "posts" / "seed-zaker.txt").read_bytes()
    (tmp_path / "badutf8.md").write_bytes(post.replace("比特币".encode(), b"\xff\xfe", 1))
    (tmp_path / "unclosed.md").write_text("---\ntitle: x\n\n<p>正文</p>\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_bytes(post)
    names = ["empty.md", "binary.bin", "nofm.md", "badutf8.md", "unclosed.md", "good.txt"]
    results = []
    summary = import_paths(archive, [tmp_path / n for n in names], on_result=results.append)
    assert summary.imported == 1 and summary.failed == 5
    failures = {Path(r.origin).name: r.message for r in results if r.status == "failed"}
    assert set(failures) == set(names) - {"good.txt"}
    assert "empty" in failures["empty.md"]
    assert "binary" in failures["binary.bin"]
    assert "front matter" in failures["nofm.md"]
    assert "UTF-8" in failures["badutf8.md"]
    assert all("\n" not in m for m in failures.values())
    assert archive.stats()["captures"] == 1  # nothing half-written for the failures


def test_unsupported_files_in_folders_are_skipped_not_failed(tmp_path: Path, archive):
    tmp_path = tmp_path / "posts"
    tmp_path.mkdir()
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "MANIFEST.tsv").write_text("a\tb\n", encoding="utf-8")
    (tmp_path / "post.txt").write_bytes((FIXTURES / "posts" / "seed-zaker.txt").read_bytes())
    summary = import_paths(archive, [tmp_path])
    assert (summary.imported, summary.skipped, summary.failed) == (1, 2, 0)


def test_interrupted_batch_leaves_whole_articles_only(tmp_path: Path, archive):
    """A failure inside a batch's transaction rolls the whole batch back."""
    import archiver.pipeline as pipeline

    calls = {"n": 0}
    real = archive.put_article

    def failing_put(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    archive.put_article = failing_put  # an interruption half-way, not a mock of the result
    try:
        import_paths(archive, [SAMPLE], batch_size=10)
    except KeyboardInterrupt:
        pass
    assert archive.stats()["articles"] == 0 and archive.stats()["captures"] == 0
    archive.put_article = real
    assert pipeline.import_paths(archive, [SAMPLE]).imported == len(_records())
