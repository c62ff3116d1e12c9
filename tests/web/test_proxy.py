"""Behind a TLS reverse proxy (issue 9): the forwarded headers of the configured proxy, and only
those, are believed.

The end-to-end test starts Debian's nginx on a free loopback port in front of a real
`discretion serve` in production mode: nginx terminates TLS (a throw-away certificate made by
openssl) and connects to the app from 127.0.0.3, the one trusted proxy address; the browser is
played by httpx from 127.0.0.5. No 301 loop, Secure cookies, HSTS, the real client address in the
audit log and the login throttle (not the proxy's, not a forged X-Forwarded-For), a forged
X-Forwarded-Proto sent straight to the app ignored, and `check --deploy` clean with that set-up.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.test import RequestFactory, override_settings

from discretion.web.lib.proxy import TrustedProxyMiddleware

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_server import PASSWORD, free_port, running_server, server_env  # noqa: E402

NGINX = "/usr/sbin/nginx"
PROXY, CLIENT = "127.0.0.3", "127.0.0.5"
SECRET = "proxy-test-" + "k" * 60 + "-Not-A-Real-Secret-0123456789"


def _through(meta: dict, trusted: list[str]) -> dict:
    seen = {}

    def view(request):
        seen.update(
            addr=request.META["REMOTE_ADDR"],
            secure=request.is_secure(),
            xff=request.META.get("HTTP_X_FORWARDED_FOR"),
        )
        return None

    with override_settings(TRUSTED_PROXIES=trusted):
        TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))
    return seen


def test_headers_from_an_untrusted_peer_are_dropped():
    seen = _through(
        {
            "REMOTE_ADDR": "198.51.100.7",
            "HTTP_X_FORWARDED_FOR": "10.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
        },
        ["10.9.0.0/16"],
    )
    assert seen == {"addr": "198.51.100.7", "secure": False, "xff": None}


def test_no_proxy_configured_means_no_header_is_believed():
    seen = _through({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}, [])
    assert seen["secure"] is False


def test_the_client_is_the_right_most_untrusted_hop():
    seen = _through(
        {
            "REMOTE_ADDR": "10.9.0.2",
            # the client forged the first entry; nginx appended the address it saw
            "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.40, 10.9.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
        },
        ["10.9.0.0/16"],
    )
    assert seen["addr"] == "203.0.113.40" and seen["secure"] is True


def test_garbage_in_the_header_keeps_the_proxy_address():
    seen = _through({"REMOTE_ADDR": "10.9.0.2", "HTTP_X_FORWARDED_FOR": "<script>"}, ["10.9.0.2"])
    assert seen["addr"] == "10.9.0.2"


def test_a_bad_trusted_proxy_setting_fails_loudly():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DISCRETION_TRUSTED_PROXIES"):
        _through({"REMOTE_ADDR": "10.0.0.1"}, ["not-an-address"])


# --- end to end, behind nginx -------------------------------------------------------------------

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 128; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 30m;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_bind {proxy};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx_in_front_of(app_port: int):
    folder = Path(tempfile.mkdtemp(prefix="discretion-nginx-"))
    folder.chmod(0o755)  # nginx workers run as an unprivileged user when the test runs as root
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=folder, port=port, app_port=app_port, proxy=PROXY))
        process = subprocess.Popen(
            [NGINX, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"nginx exited: {process.stderr.read().decode()}")
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(f"https://127.0.0.1:{port}/healthz", verify=False, timeout=2)
                    break
                time.sleep(0.1)
            yield f"https://127.0.0.1:{port}", folder / "cert.pem"
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PRODUCTION = {
    "DISCRETION_PRODUCTION": "1",
    "DISCRETION_SECRET_KEY": SECRET,
    "DISCRETION_TRUSTED_PROXIES": PROXY,
    "DISCRETION_ALLOWED_HOSTS": "127.0.0.1,localhost",
}

AUDIT = r"""
import django
django.setup()
from axes.models import AccessLog
from discretion.web.audit.models import AuditEvent
failed = AuditEvent.objects.filter(action="login_failed").order_by("-id").first()
login = AuditEvent.objects.filter(action="login").order_by("-id").first()
print(failed.address, login.address, AccessLog.objects.get(username="alice").ip_address)
"""


def _csrf(r: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text).group(1)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx-light is installed by ./dev setup")
def test_behind_nginx_in_production_mode(tmp_path):
    with (
        running_server(
            data=tmp_path, worker=False, env_extra=PRODUCTION, extra_args=("--processes", "1")
        ) as server,
        nginx_in_front_of(int(server.url.rsplit(":", 1)[1])) as (base, cert),
    ):
        transport = httpx.HTTPTransport(local_address=CLIENT, verify=ssl.create_default_context(cafile=cert))
        with httpx.Client(base_url=base, transport=transport, timeout=30) as browser:
            page = browser.get("/accounts/login/")
            assert page.status_code == 200, (page.status_code, page.headers.get("location"))  # no 301 loop
            assert page.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
            csrf_cookie = page.headers["set-cookie"]
            assert "csrftoken=" in csrf_cookie and "; Secure" in csrf_cookie

            # A wrong password with a forged X-Forwarded-For: recorded from the real client.
            r = browser.post(
                "/accounts/login/",
                data={"csrfmiddlewaretoken": _csrf(page), "username": "alice", "password": "wrong"},
                headers={"X-Forwarded-For": "6.6.6.6", "Referer": base + "/accounts/login/"},
            )
            assert r.status_code == 400

            page = browser.get("/accounts/login/")
            r = browser.post(
                "/accounts/login/",
                data={"csrfmiddlewaretoken": _csrf(page), "username": "alice", "password": PASSWORD},
                headers={"Referer": base + "/accounts/login/"},
            )
            assert r.status_code == 302 and r.headers["location"] == "/", r.text[:500]
            session = [c for c in r.headers.get_list("set-cookie") if c.startswith("sessionid=")]
            assert session and "; Secure" in session[0] and "; HttpOnly" in session[0]
            # Alice is an organisation admin: in production she must set up two-step sign-in
            # first (DISCRETION_2FA_REQUIRED defaults to admins), so the home page sends her to
            # the set-up page, over HTTPS through the proxy, and that page is hers.
            home = browser.get("/")
            assert home.status_code == 302 and home.headers["location"].startswith("/accounts/two-factor/"), (
                home.status_code,
                home.headers.get("location"),
            )
            setup = browser.get(home.headers["location"], follow_redirects=True)
            assert setup.status_code == 200 and "Log out" in setup.text

        # Straight to the app, not through the proxy: a forged header is not believed.
        direct = httpx.Client(base_url=server.url, transport=httpx.HTTPTransport(local_address=CLIENT))
        with direct:
            r = direct.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        assert r.status_code == 301 and r.headers["location"].startswith("https://")

        seen = subprocess.run(
            [sys.executable, "-c", AUDIT],
            env=server_env(tmp_path) | PRODUCTION,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        assert seen == [CLIENT, CLIENT, CLIENT]  # the audit log and the throttle

    check = subprocess.run(
        [sys.executable, "-m", "discretion.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=server_env(tmp_path) | PRODUCTION,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0 and "no issues" in check.stdout, check.stdout + check.stderr
