"""URL identity: the canonical form used to recognise the same article under different URLs."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

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


def canonical_url(url: str) -> str:
    """The URL as an identity: scheme and host lowercased, default port, fragment and
    tracking parameters dropped.

    >>> canonical_url("HTTPS://News.Example.COM:443/a/b.html?utm_source=x&id=3#top")
    'https://news.example.com/a/b.html?id=3'
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        host = host.encode("idna").decode("ascii") if host else host
    except UnicodeError:
        pass
    netloc = host
    if parts.port and str(parts.port) != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
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
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None
