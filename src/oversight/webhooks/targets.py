"""Where a webhook may send: hosts on `OVERSIGHT_WEBHOOK_ALLOWED_HOSTS`, over https (http
only to a loopback address), and never, through DNS, into an address nobody listed.

A listed name that resolves to a private, loopback, link-local or otherwise non-public
address is refused unless that address is itself listed: naming `partner.example` does not
open the internal network to whoever controls its DNS. The check runs at creation and again
before every delivery, and the delivery connects to the address that was checked.
"""

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Resolver = Callable[..., list[tuple[Any, ...]]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL may not be delivered to; the message says why (no secret in it)."""


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    address: Address  # the checked address a delivery connects to

    @property
    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = f"{host}:{self.port}"
        query = f"?{parts.query}" if parts.query else ""
        return f"{self.scheme}://{netloc}{parts.path or '/'}{query}"

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def _ip(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return None


def check(url: str, allowed: Sequence[str], resolve: Resolver = socket.getaddrinfo) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused("the URL is not valid") from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in {"https", "http"} or not host:
        raise TargetRefused("the URL must be https:// (http:// only for a loopback address)")
    if parts.username or parts.password:
        raise TargetRefused("the URL must not carry credentials")
    if parts.fragment:
        raise TargetRefused("the URL must not have a fragment")
    listed = {h.strip().lower().rstrip(".") for h in allowed if h.strip()}
    listed_ips = {ip for ip in (_ip(h) for h in listed) if ip is not None}
    literal = _ip(host)
    if host not in listed and (literal is None or literal not in listed_ips):
        raise TargetRefused(f"the host {host} is not on the webhook allow-list")
    port = port or (443 if scheme == "https" else 80)
    try:
        found = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise TargetRefused(f"the host {host} does not resolve") from exc
    addresses = [a for a in (_ip(str(info[4][0]).split("%")[0]) for info in found) if a]
    if not addresses:
        raise TargetRefused(f"the host {host} does not resolve")
    for address in addresses:
        if not address.is_global and address not in listed_ips:
            raise TargetRefused(
                f"the host {host} resolves to a non-public address that is not on the allow-list"
            )
        if scheme == "http" and not address.is_loopback:
            raise TargetRefused("http:// is allowed only for a loopback address; use https://")
    return Target(url, scheme, host, port, addresses[0])
