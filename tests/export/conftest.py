"""Articles with every construct of the clean body, imported through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.pipeline import import_paths

RICH_HTML = """
<h2>一、小标题 #1</h2>
<p>第一段，有<strong>加粗</strong>、<em>强调</em>、<code>code `x`</code>、
<a href="https://example.com/a_(b)">链接 [1]</a>、x<sup>2</sup>、H<sub>2</sub>O、
<del>删除</del>。</p>
<p>1. 这一段以数字和点开头，不是列表</p>
<p># 不是标题</p>
<p>* 不是列表 _也不是强调_ Win11_Win10 a*b*c</p>
<p>[不是链接](http://x) &lt;div&gt;不是 HTML&lt;/div&gt; &amp;amp; {{ hexo }} {% tag %}</p>
<p>--- 不是分隔线</p>
<p>=== 不是标题下划线</p>
<p>&gt; 不是引用</p>
<p>+ 不是列表</p>
<p>~~~ 不是代码</p>
<p>第一行<br>第二行<br>第三行</p>
<p><strong>央视网消息：</strong>11 月 8 日，标点后接文字的加粗。</p>
<ul><li>甲</li><li>乙 *星*</li></ul>
<ul><li>第二个列表</li></ul>
<ol><li>一</li><li>二</li></ol>
<blockquote><p>引用第一段</p><p>引用第二段</p></blockquote>
<table><tr><th>名称</th><th>数值</th></tr><tr><td>a|b</td><td>1</td></tr>
<tr><td>c</td><td>2</td></tr></table>
<figure><img src="https://img.example.com/a.jpg" alt="替代文字">
<figcaption>图1 有说明的图</figcaption></figure>
<figure><img src="https://img.example.com/b.png"><figcaption>图2 只有说明</figcaption></figure>
<figure><img src="https://img.example.com/c" alt="只有替代文字"></figure>
<pre>for i in range(3):
    print(i)  # ```
</pre>
<p>最后一段。</p>
"""

HOSTILE_TITLES = [
    "比特币：跌破 3 万美元",
    "a: b # c",
    "#开头的标题",
    "他说\"不\"，她说'是'",
    "'单引号开头",
    "\"双引号开头\"",
    "123 开头是数字",
    "- 破折号开头",
    "yes",
    "No",
    "null",
    "~",
    "🚀 emoji 标题 😀",
    "第一行\n第二行",
    "带\t制表符",
    "反斜杠 \\ 和 \\n",
    "  前后有空格  ",
    " ",
    "2021-06-12",
    "12:30",
    "[方括号] {花括号}",
    "&amp; &#123; 实体",
    "../../etc/passwd",
    "CON",
    "a/b",
    "%secretclub%power：专家",
    "+_&~_%！'^……",
]


def rich_record(n: int, title: str, **extra: object) -> dict:
    record = {
        "title": title,
        "html": RICH_HTML,
        "url": f"https://news.example.com/2021/06/{n}.html",
        "author": "张三 李四",
        "editor": "王五",
        "source": "澎湃新闻",
        "reprinted_from": "观察者网",
        "site": "example.com",
        "published": "2021-06-12T12:18:00+08:00",
        "categories": ["新闻", "科技", "区块链"],
        "tags": ["比特币", "Win 11", "yes"],
        "image": "https://img.example.com/lead.jpg",
    }
    record.update(extra)
    return record


@pytest.fixture
def rich_archive(archive, tmp_path: Path):
    """An archive with one rich article per hostile title (and one without a URL)."""
    records = [rich_record(n, t) for n, t in enumerate(HOSTILE_TITLES) if t.strip()]
    records.append(rich_record(999, "没有网址的文章", url=None))
    path = tmp_path / "rich.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    summary = import_paths(archive, [path])
    assert summary.failed == 0 and summary.imported == len(records), summary.errors
    return archive
