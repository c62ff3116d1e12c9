"""Trust a reverse proxy's forwarded headers when, and only when, the request comes from it.

Django trusts ``X-Forwarded-Proto`` through ``SECURE_PROXY_SSL_HEADER`` from anyone who sends
it, and never reads ``X-Forwarded-For``. Behind the documented TLS proxy that means either a 301
loop (the header not trusted) or a header anyone can forge (trusted from everyone). This
middleware runs first: if the peer (``REMOTE_ADDR``) is one of ``DISCRETION_TRUSTED_PROXIES``
(addresses or networks), the client address becomes the right-most address in
``X-Forwarded-For`` that is not itself a trusted proxy, and ``X-Forwarded-Proto`` is kept;
otherwise both headers are removed, so nothing downstream (SecurityMiddleware's HTTPS check,
the login throttle, the audit log's address) can be fooled by a client that sets them.

The proxy must overwrite or append to ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``)
and set ``X-Forwarded-Proto $scheme``; docs/web.md shows the nginx block the tests run.
Why not django-ipware: it picks the left-most public address by default, which the client
writes; configured to trust proxies it needs the same list, and this is the whole rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def trusted_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    out = []
    for item in spec:
        try:
            out.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"DISCRETION_TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from None
    return tuple(out)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(forwarded_for: str, peer: str, networks: tuple[Network, ...]) -> str:
    """The right-most hop that is not a trusted proxy (the client as the first proxy saw it)."""
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage in the header: keep the proxy's own address
    return hops[0] if hops else peer


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if networks and _is_trusted(peer, networks):
            meta["discretion.proxy_address"] = peer
            if meta.get("HTTP_X_FORWARDED_FOR"):
                meta["REMOTE_ADDR"] = client_address(meta["HTTP_X_FORWARDED_FOR"], peer, networks)
        else:
            for header in ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST"):
                meta.pop(header, None)
        return self.get_response(request)


def request_address(request: HttpRequest) -> str | None:
    """The client's address after this middleware ran (AXES_CLIENT_IP_CALLABLE, audit, limits)."""
    return request.META.get("REMOTE_ADDR") or None
