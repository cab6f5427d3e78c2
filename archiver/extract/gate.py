"""Is this page an article at all? Recognise challenge, captcha and "deleted" pages.

:func:`page_reason` looks only at the raw HTML string (cheap, no parsing), so the fetch stage
can call it on any response through the pipeline; :func:`body_reason` judges an extracted body.
Both return a human-readable reason, or None when nothing is wrong.
"""

from __future__ import annotations

import re

# Signatures of WAF / bot-challenge pages, looked for in the lower-cased page. Each is specific
# enough to never occur in an article page's markup (script variables, challenge-form markers).
_CHALLENGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("window.captcha", "safelinechallenge", "/.safeline/", "safeline"),
     "a Chaitin SafeLine captcha page"),
    (("cf-chl-", "cf_chl_", "challenge-platform", "cf-browser-verification",
      "<title>just a moment...</title>"), "a Cloudflare challenge page"),
    (("checking if the site connection is secure", "checking your browser before accessing"),
     "a browser-check challenge page"),
)
_CAPTCHA_TITLE = re.compile(r"安全验证|人机验证|访问验证|验证码")
# Placeholders left where an article used to be. They only count on short pages: an article
# may well quote "该内容已被发布者删除".
_PLACEHOLDERS = re.compile(
    r"原文已被删除|该内容已被发布者删除|此内容因违规无法查看|内容已被删除|文章已被删除|"
    r"该文章已删除|页面不存在|您访问的页面不存在|抱歉，您访问的页面|文章不存在|内容不存在|"
    r"该帖子已被删除|信息已过期|404 Not Found|Page Not Found|页面没有找到|找不到页面|"
    r"该内容暂时无法查看|此帐号已被屏蔽|已停止访问该网页"
)
_BINARY = re.compile("[\ufffd\x00-\x08\x0e-\x1f\x7f]")
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S | re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)
# Why 400: a placeholder page's visible text is a menu plus one sentence; real articles with
# a boilerplate-heavy frame still carry several hundred characters of story.
_SHORT_PAGE = 400


def page_reason(html: str) -> str | None:
    """Why ``html`` is not an article page (challenge, captcha, deleted placeholder), or None."""
    head = html[:200_000]
    sample = head[:4096]
    # Bytes that are no text in any charset (an image, a PDF, a zip saved as .html) decode to
    # replacement characters and control codes; a page has next to none.
    if len(_BINARY.findall(sample)) * 10 > len(sample):
        return "binary data, not an HTML page"
    low = head.lower()
    for needles, reason in _CHALLENGES:
        if any(needle in low for needle in needles):
            return reason
    title = _TITLE.search(head)
    title_text = title.group(1).strip() if title else ""
    if _CAPTCHA_TITLE.search(title_text) and len(title_text) <= 40:
        return "a captcha page"
    if re.search(r"^(?:404|403|页面不存在|404 Not Found|出错了|错误)", title_text):
        return f"an error page (title {title_text[:40]!r})"
    # Placeholder phrases are rare in markup: measure the visible text only when one is there.
    if _PLACEHOLDERS.search(head):
        visible = re.sub(r"\s+", "", _TAGS.sub(" ", head))
        if len(visible) < _SHORT_PAGE:
            match = _PLACEHOLDERS.search(visible)
            if match:
                return f"a placeholder page ({match.group()})"
    return None


# Why 60: a 新华社 flash can be two sentences (~60 characters); anything shorter is a stub.
MIN_BODY_CHARS = 60


def body_reason(text: str, *, link_ratio: float = 0.0) -> str | None:
    """Why an extracted body is not an article (empty, a stub, a list of links), or None."""
    chars = len(re.sub(r"\s+", "", text))
    if chars == 0:
        return "no article body found"
    if chars < MIN_BODY_CHARS:
        match = _PLACEHOLDERS.search(text)
        if match:
            return f"a placeholder page ({match.group()})"
        return f"the body is only {chars} characters long"
    if link_ratio > 0.6:
        return "a list or index page (the main block is mostly links)"
    return None
