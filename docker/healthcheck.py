"""The image's HEALTHCHECK: GET /healthz from inside the container.

It sends a Host header that ALLOWED_HOSTS accepts (Django answers 400 to any other host), over
plain HTTP, which settings.SECURE_REDIRECT_EXEMPT lets through without the HTTPS redirect.
"""

import os
import sys
import urllib.request


def probe_host(allowed_hosts: str) -> str:
    first = allowed_hosts.split(",")[0].strip().lstrip(".")
    return first if first and first != "*" else "localhost"


def main() -> int:
    host = probe_host(os.environ.get("ALLOWED_HOSTS", ""))
    request = urllib.request.Request("http://127.0.0.1:8000/healthz", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:  # connection refused, timeout, HTTP 503
        print(f"healthz: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
