"""Indicators of compromise: each value checked (and normalised) for its type.

Error messages never repeat the value: a bulletin's indicators may be sensitive.
"""

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from oversight.bulletins.indicator_patterns import PATTERNS
from oversight.bulletins.models import IndicatorType

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_CVE = re.compile(r"^CVE-(\d{4})-(\d{4,})$", re.IGNORECASE | re.ASCII)
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_FILENAME_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")


def _ip(version: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            if "/" in value:
                net = ipaddress.ip_network(value, strict=False)
                if net.version == version:
                    return str(net)
            else:
                addr = ipaddress.ip_address(value)
                if addr.version == version:
                    return str(addr)
        except ValueError:
            pass
        raise ValueError(f"not a valid IPv{version} address or network")

    return check


def domain(value: str) -> str:
    """A DNS name of two labels or more; internationalised names are taken via IDNA."""
    name = value.strip().removesuffix(".")
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        raise ValueError("not a valid domain name") from None
    labels = ascii_name.split(".")
    if (
        len(ascii_name) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValueError("not a valid domain name")
    return name.lower()


def _host(value: str) -> None:
    host = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        domain(host)


def url(value: str) -> str:
    """An absolute http or https URL with a valid host."""
    if any(c.isspace() for c in value) or len(value) > 2048:
        raise ValueError("not a valid URL")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        raise ValueError("not a valid URL") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValueError("only http and https URLs are accepted")
    if not host:
        raise ValueError("not a valid URL: it has no host")
    try:
        _host(host)
    except ValueError:
        raise ValueError("not a valid URL: its host is not a domain or IP address") from None
    return value


def email(value: str) -> str:
    local, at, host = value.strip().rpartition("@")
    if not at or not _EMAIL_LOCAL.match(local) or local.startswith(".") or ".." in local:
        raise ValueError("not a valid email address")
    try:
        return f"{local}@{domain(host)}"
    except ValueError:
        raise ValueError("not a valid email address") from None


def _digest(name: str, length: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) != length or not _HEX.match(value):
            raise ValueError(f"not a valid {name}: {length} hexadecimal characters expected")
        return value.lower()

    return check


def cve(value: str) -> str:
    match = _CVE.match(value.strip())
    if not match or not 1999 <= int(match.group(1)) <= 2100:
        raise ValueError("not a valid CVE id: CVE-YYYY-NNNN expected")
    return value.strip().upper()


def filename(value: str) -> str:
    if not value.strip() or len(value) > 255 or value in {".", ".."} or _FILENAME_BAD.search(value):
        raise ValueError("not a valid file name: no path separators or control characters")
    return value


CHECKS: dict[IndicatorType, Callable[[str], str]] = {
    IndicatorType.ipv4: _ip(4),
    IndicatorType.ipv6: _ip(6),
    IndicatorType.domain: domain,
    IndicatorType.url: url,
    IndicatorType.email: email,
    IndicatorType.md5: _digest("MD5 hash", 32),
    IndicatorType.sha1: _digest("SHA-1 hash", 40),
    IndicatorType.sha256: _digest("SHA-256 hash", 64),
    IndicatorType.cve: cve,
    IndicatorType.filename: filename,
}


# What a value that its type's check would take but the pattern does not is told.
_FORMS = {
    IndicatorType.ipv4: "an IPv4 address or network in dotted decimal without leading zeros",
    IndicatorType.ipv6: "an IPv6 address or network without a zone",
    IndicatorType.domain: "a domain name in ASCII (internationalised names in their xn-- form)",
    IndicatorType.url: "an http or https URL in ASCII with a host in ASCII",
    IndicatorType.email: "an email address whose domain is in ASCII",
}
_MATCHES = {kind: re.compile(pattern).match for kind, pattern in PATTERNS.items()}


def check(kind: IndicatorType, value: str) -> str:
    """The value normalised for its type; ValueError when it is not one. The type's pattern
    (which the schema declares) decides; the type's check normalises what it lets through."""
    if not _MATCHES[kind](value):
        CHECKS[kind](value)  # raises, in its own words, for what it refuses too
        raise ValueError(f"not in the form this type takes: {_FORMS.get(kind, 'its pattern')}")
    return CHECKS[kind](value)
