"""The client's address behind the reverse proxy, for login throttling (django-axes).

Each trusted proxy appends the address it received the request from to ``X-Forwarded-For``
(nginx: ``proxy_add_x_forwarded_for``; Apache: mod_proxy). With ``KPI_TRUSTED_PROXIES`` = N,
the client is the N-th address from the right: everything left of it was written by the
client and may be forged. With 0 (no proxy) the header is ignored and the client is the peer,
``REMOTE_ADDR``. A header with fewer addresses than N, or one that is not an address, did not
come through the proxies: the peer is used then too.

Not django-ipware (8.0): its proxy count counts the proxies listed *in* the header (one proxy
in front of the app is 0 there), its default strict mode then gives no address at all for an
honest request, and its modern engine prefers a globally routable peer over a private client
address — which, on a city intranet behind a proxy with a public address, is every client.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    peer = request.META.get("REMOTE_ADDR")
    proxies = settings.KPI_TRUSTED_PROXIES
    if proxies <= 0:
        return peer
    chain = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    if len(chain) < proxies:
        return peer
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer
