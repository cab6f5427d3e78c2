"""URL identity: the canonical form used to recognise the same article under different URLs."""

from __future__ import annotations

import re
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

from archiver.errors import InputError

# Query parameters that only track the reader, never select the content.
_TRACKING = re.compile(
    r"^(utm_\w+|spm|from|fromid|share_token|share_source|sharer|scene|srcid|ref|ref_src|"
    r"fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|wt\.mc_id|"
    r"st|s_trans|s_channel|sd|toutiao_source|isappinstalled|timestamp|nsukey)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# Wrappers of the form https://proxy.example/?http://real.url — seen in feed mirrors.
_PROXY_PREFIX = re.compile(r"^https?://[^/?#]+/\?(?=https?://|//)", re.IGNORECASE)


def _shown(url: str) -> str:
    """``url`` for a one-line message: at most 200 characters, control characters and lone
    surrogates escaped."""
    url = url[:200]
    return url if url.isprintable() and is_utf8(url) else repr(url)[1:-1]


def is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def split_url(url: str) -> tuple[SplitResult, int | None]:
    """``urlsplit`` and the port, or :class:`InputError` naming what is wrong (an unclosed
    IPv6 bracket, a port that is not a number in 0-65535, a control character)."""
    try:
        url.encode("utf-8")  # a lone surrogate (from a JSON escape) can never be stored
        parts = urlsplit(url)
        return parts, parts.port
    except ValueError as exc:  # UnicodeEncodeError is a ValueError too
        raise InputError(f"{_shown(url)}: invalid URL ({exc})") from exc


def check_url(url: str) -> str:
    """``url`` stripped when it can be fetched: http(s) with a host and a valid port; else
    :class:`InputError` with a one-line reason."""
    url = url.strip()
    parts, _ = split_url(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{_shown(url)}: not an http(s) URL")
    if not parts.hostname:
        raise InputError(f"{_shown(url)}: invalid URL (no host)")
    return url


def is_valid_url(url: object) -> bool:
    """True for a string :func:`canonical_url` accepts."""
    if not isinstance(url, str):
        return False
    try:
        split_url(url.strip())
    except InputError:
        return False
    return True


def join_url(base: str | None, ref: str) -> str:
    """``ref`` resolved against ``base``; ``ref`` unchanged when either cannot be parsed (an
    invalid link in a page must not stop reading the page)."""
    if not base:
        return ref
    try:
        return urljoin(base, ref)
    except ValueError:
        return ref


def host_of(url: str | None) -> str:
    """The lowercased host of ``url``, or ``""`` (also for a URL that cannot be parsed)."""
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def canonical_url(url: str) -> str:
    """The URL as an identity: scheme and host lowercased, default port, fragment and
    tracking parameters dropped. A URL that cannot be parsed raises :class:`InputError`.

    >>> canonical_url("HTTPS://News.Example.COM:443/a/b.html?utm_source=x&id=3#top")
    'https://news.example.com/a/b.html?id=3'
    >>> canonical_url("http://[::1]:8080/a")
    'http://[::1]:8080/a'
    """
    url = url.strip()
    parts, port = split_url(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        host = host.encode("idna").decode("ascii") if host else host
    except UnicodeError:
        pass
    netloc = f"[{host}]" if ":" in host else host  # IPv6 literals keep their brackets
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=~-._") or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not _TRACKING.match(k)]
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str:
    """The article key of a URL."""
    return "url:" + canonical_url(url)


def unwrap_proxy(url: str) -> str:
    """Strip an image proxy wrapper.

    >>> unwrap_proxy("https://cors.zfour.workers.dev/?http://zkres2.myzaker.com/a.jpg")
    'http://zkres2.myzaker.com/a.jpg'
    """
    url = url.strip()
    while True:
        match = _PROXY_PREFIX.match(url)
        if not match:
            return url
        url = url[match.end():]
        if url.startswith("//"):
            url = "http:" + url


def site_of(url: str | None) -> str | None:
    """The host without ``www.``."""
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host or None
