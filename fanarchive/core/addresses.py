"""The client's address: the connection's, or what trusted reverse proxies say it is.

Behind a reverse proxy every connection comes from the proxy, which names the client
in X-Forwarded-For, appending the address it saw to whatever the header already held.
Only the proxies' own entries can be believed (a client writes anything it likes), so
the header is read only on a connection from a trusted proxy
(`settings.TRUSTED_PROXIES`, from FANARCHIVE_TRUSTED_PROXIES), from the right, skipping
trusted proxies: the first other address is the client. Nobody is trusted by default.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# A longer header is not a chain of real proxies; its far left is never reached anyway.
MAX_HOPS = 20


def client_address(request: HttpRequest) -> str:
    """The address of the client that made `request` ("unknown" when there is none)."""
    peer_text = str(request.META.get("REMOTE_ADDR") or "")
    peer = parse_address(peer_text)
    if peer is None:
        return peer_text or "unknown"
    if not is_trusted(peer):
        return str(peer)
    client = peer
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    for entry in reversed(hops[-MAX_HOPS:]):
        address = parse_address(entry)
        if address is None:
            break  # only a client writes garbage: the last trusted hop is all we know
        client = address
        if not is_trusted(address):
            break
    return str(client)


def is_trusted(address: IPAddress) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def parse_address(text: str) -> IPAddress | None:
    """An IP address as proxies write it: "203.0.113.9", "203.0.113.9:443",
    "[2001:db8::5]:443"; an IPv4 address mapped into IPv6 is read as IPv4."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
