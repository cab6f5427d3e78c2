"""Site rules: site knowledge as data, one small YAML file per site in ``extract/rules/``.

A rule file::

    name: 新浪网                 # shown as the article's site
    hosts: [sina.com.cn, sina.cn]  # the host or any subdomain of it
    title: //h1[@class="main-title"]
    body: ['//div[@id="artibody"]', '//div[@class="article"]']
    date: //span[@class="date"]
    author: …                    # people; source: the outlet; editor: 责任编辑
    drop: ['//div[@class="appendQr_wrap"]']   # removed from the page before extraction

Every XPath field takes one expression or a list tried in order. Files are read and validated
on first use (never at import); a bad file raises :class:`RuleError` naming the file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from lxml import etree

from archiver.errors import RuleError
from archiver.urls import host_of

XPATH_FIELDS = ("title", "body", "date", "author", "source", "editor", "drop")
_KEYS = {"name", "hosts", "notes", *XPATH_FIELDS}


@dataclass(frozen=True, slots=True)
class Rule:
    """One site's rule, with its XPaths compiled."""

    slug: str  # file stem, used in provenance ("rule:sina")
    name: str
    hosts: tuple[str, ...]
    xpaths: tuple[tuple[str, tuple[etree.XPath, ...]], ...]

    def paths(self, field: str) -> tuple[etree.XPath, ...]:
        for key, compiled in self.xpaths:
            if key == field:
                return compiled
        return ()

    def matches(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def _as_list(value: object, where: str, field: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return value
    raise RuleError(f"{where}: {field!r} must be a string or a non-empty list of strings")


def parse_rule(data: object, *, where: str, slug: str) -> Rule:
    """Validate one rule's data (as loaded from YAML) and compile its XPaths."""
    if not isinstance(data, dict):
        raise RuleError(f"{where}: a rule file must hold a mapping, not {type(data).__name__}")
    unknown = set(data) - _KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}",
                        hint=f"allowed keys: {', '.join(sorted(_KEYS))}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RuleError(f"{where}: 'name' is required (the site's name)")
    hosts = _as_list(data.get("hosts"), where, "hosts")
    for host in hosts:
        if "/" in host or " " in host or host != host.lower():
            raise RuleError(f"{where}: host {host!r} must be a lower-case host name")
    compiled: list[tuple[str, tuple[etree.XPath, ...]]] = []
    for field in XPATH_FIELDS:
        if field not in data:
            continue
        exprs = _as_list(data[field], where, field)
        paths = []
        for expr in exprs:
            try:
                paths.append(etree.XPath(expr))
            except etree.XPathSyntaxError as exc:
                raise RuleError(f"{where}: {field}: invalid XPath {expr!r} ({exc})") from exc
        compiled.append((field, tuple(paths)))
    if not compiled:
        raise RuleError(f"{where}: a rule needs at least one XPath field")
    return Rule(slug=slug, name=name.strip(), hosts=tuple(hosts), xpaths=tuple(compiled))


def load_rule_file(path: Path) -> Rule:
    """Read and validate one rule file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path.name}: cannot be read as YAML ({exc})") from exc
    return parse_rule(data, where=path.name, slug=path.stem)


class RuleBook:
    """The rules of a directory, looked up by URL host."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = tuple(rules)

    @classmethod
    def from_directory(cls, directory: Path) -> RuleBook:
        return cls([load_rule_file(p) for p in sorted(directory.glob("*.yaml"))])

    def for_url(self, url: str | None) -> Rule | None:
        """The rule whose hosts cover ``url``'s host, the most specific host first."""
        if not url:
            return None
        host = host_of(url)
        if not host:
            return None
        best: tuple[int, Rule] | None = None
        for rule in self.rules:
            for h in rule.hosts:
                if (host == h or host.endswith("." + h)) and (best is None or len(h) > best[0]):
                    best = (len(h), rule)
        return best[1] if best else None


@functools.lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The rules shipped with archiver (read once, on first use)."""
    directory = Path(str(resources.files("archiver.extract") / "rules"))
    return RuleBook.from_directory(directory)
