"""The production topology on this machine: nginx (deploy/nginx.conf), two uvicorn processes,
a Celery worker and beat, all with clean_care.settings.production, PostgreSQL and Redis.

Nothing here is a test settings module: the SMS gateway is SSL Wireless's client pointed
(SSLWIRELESS_BASE_URL) at a stub on a loopback port that keeps what it was sent, so the OTP is
read from what the worker really posted. Every process runs in a session of its own and is
stopped by its id.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from core.testing_servers import free_port

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
DATABASE_URL = os.environ.get(
    "DEPLOY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clean_care_deploy"
)
REDIS_URL = os.environ.get("DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/4")
HOST = "localhost"
READY_SECONDS = 60.0
_PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")


def render_template(text: str, values: dict[str, str]) -> str:
    """What envsubst makes of the template: every ${UPPER_CASE} name replaced, none left over."""
    missing = sorted({name for name in _PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise KeyError(f"deploy/nginx.conf uses {missing}, which the test does not set")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for localhost and 127.0.0.1 (its own CA), valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class SmsGatewayStub(ThreadingHTTPServer):
    """Answers SSL Wireless's ``POST /send-sms`` as the real gateway does and keeps each body."""

    daemon_threads = True

    def __init__(self):
        self.received: list[dict] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _SmsHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def texts_to(self, msisdn_suffix: str) -> list[str]:
        with self.lock:
            return [b["sms"] for b in self.received if str(b.get("msisdn")).endswith(msisdn_suffix)]


class _SmsHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = {}
        with self.server.lock:
            self.server.received.append(body)
        answer = {
            "status": "SUCCESS",
            "status_code": 200,
            "error_message": "",
            "smsinfo": [
                {
                    "sms_status": "SUCCESS",
                    "status_message": "Success",
                    "msisdn": body.get("msisdn"),
                    "sms_type": "EN",
                    "csms_id": body.get("csms_id"),
                    "reference_id": secrets.token_hex(8),
                }
            ],
        }
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self, grace: float = 10.0) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=grace)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=grace)


@dataclass
class Topology:
    directory: Path
    http_port: int
    https_port: int
    web_ports: list[int]
    cert_path: Path
    env: dict[str, str]
    sms: SmsGatewayStub
    processes: dict[str, Process] = field(default_factory=dict)

    @property
    def https_url(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def wss_url(self) -> str:
        return f"wss://{HOST}:{self.https_port}"

    @property
    def access_log(self) -> Path:
        return self.directory / "nginx" / "log" / "access.log"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_path))

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(
            base_url=self.https_url, verify=self.ssl_context(), timeout=30, **kwargs
        )

    def start(self, name: str, command: list[str]) -> Process:
        log_path = self.directory / f"{name}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(  # noqa: S603 - our interpreter / Debian's nginx
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name=name, popen=popen, log_path=log_path)
        self.processes[name] = process
        return process

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(  # noqa: S603 - our interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def logs(self) -> str:
        parts = [f"--- {p.name} ---\n{p.log_text()[-4000:]}" for p in self.processes.values()]
        error_log = self.directory / "nginx" / "log" / "error.log"
        if error_log.exists():
            parts.append(f"--- nginx error.log ---\n{error_log.read_text()[-4000:]}")
        return "\n".join(parts)


def production_env(directory: Path, *, https_port: int, sms_url: str) -> dict[str, str]:
    """The documented production environment (core/tests/test_settings.py), for this machine."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "clean_care.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{https_port}",
            "DATABASE_URL": DATABASE_URL,
            "DB_POOL_MIN_SIZE": "1",
            "DB_POOL_MAX_SIZE": "5",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": "deploy-test",
            "NUM_PROXIES": "1",
            "STATIC_ROOT": str(directory / "static"),
            "MEDIA_ROOT": str(directory / "media"),
            "PRIVATE_MEDIA_ROOT": str(directory / "private"),
            "SMS_BACKEND": "sslwireless",
            "SSLWIRELESS_BASE_URL": sms_url,
            "SSLWIRELESS_API_TOKEN": "deploy-test-token",
            "SSLWIRELESS_SID": "CLEANCARE",
            "PUSH_BACKEND": "fcm",
            "FCM_SERVICE_ACCOUNT_JSON": '{"project_id": "clean-care-deploy-test"}',
            "FCM_BASE_URL": sms_url,
            "PAYMENT_PUBLIC_BASE_URL": f"https://{HOST}:{https_port}",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def reset_database_and_redis() -> None:
    """A fresh database each run (migrated below) and an empty Redis database."""
    from urllib.parse import urlparse

    import psycopg
    import redis
    from psycopg import sql

    parts = urlparse(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    redis.Redis.from_url(REDIS_URL).flushdb()


def wait_listening(process: Process, port: int, timeout: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited early:\n{process.log_text()[-4000:]}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{process.name} did not listen on {port}:\n{process.log_text()}")
        time.sleep(0.1)


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError("nginx is not installed (.ci/run installs Debian's nginx)")
    return found


@contextlib.contextmanager
def topology(directory: Path) -> Iterator[Topology]:
    """Everything up and listening; stopped (each process by its id) when the block ends."""
    sms = SmsGatewayStub()
    threading.Thread(target=sms.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    web_ports = [free_port(), free_port()]
    cert_path, key_path = self_signed_certificate(directory)
    env = production_env(directory, https_port=https_port, sms_url=sms.url)
    topo = Topology(directory, http_port, https_port, web_ports, cert_path, env, sms)
    try:
        reset_database_and_redis()
        topo.manage("migrate", "--noinput", "--verbosity", "0")
        topo.manage("collectstatic", "--noinput", "--verbosity", "0")
        (directory / "media").mkdir(exist_ok=True)

        nginx_dir = directory / "nginx"
        for sub in ("log", "run", "acme"):
            (nginx_dir / sub).mkdir(parents=True, exist_ok=True)
        values = {
            "NGINX_USER": pwd.getpwuid(os.getuid()).pw_name,
            "NGINX_RUN_DIR": str(nginx_dir / "run"),
            "NGINX_LOG_DIR": str(nginx_dir / "log"),
            "SERVER_NAME": HOST,
            "HTTP_PORT": str(http_port),
            "HTTPS_PORT": str(https_port),
            "HTTPS_REDIRECT_PORT": f":{https_port}",
            "TLS_CERTIFICATE": str(cert_path),
            "TLS_CERTIFICATE_KEY": str(key_path),
            "ACME_ROOT": str(nginx_dir / "acme"),
            "WEB_UPSTREAM_1": f"127.0.0.1:{web_ports[0]}",
            "WEB_UPSTREAM_2": f"127.0.0.1:{web_ports[1]}",
            "STATIC_ROOT": env["STATIC_ROOT"],
            "MEDIA_ROOT": env["MEDIA_ROOT"],
        }
        rendered = render_template(NGINX_TEMPLATE.read_text(), values)
        if not ipv6_available():  # containers without IPv6 cannot bind the [::] listeners
            rendered = re.sub(r"^\s*listen \[::\].*\n", "", rendered, flags=re.M)
        conf = nginx_dir / "nginx.conf"
        conf.write_text(rendered)
        nginx = [nginx_binary(), "-p", str(nginx_dir), "-c", str(conf), "-e", "stderr"]
        check = subprocess.run([*nginx, "-t"], capture_output=True, text=True, check=False)  # noqa: S603
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the rendered config:\n{check.stderr}")

        from core.management.commands.serve import UVICORN_OPTIONS

        for n, port in enumerate(web_ports, start=1):
            topo.start(
                f"web{n}",
                [sys.executable, "-m", "uvicorn", "clean_care.asgi:application",
                 "--host", "127.0.0.1", "--port", str(port), *UVICORN_OPTIONS,
                 "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"],
            )  # fmt: skip
        celery = [sys.executable, "-m", "celery", "-A", "clean_care"]
        topo.start("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"])
        topo.start("beat", [*celery, "beat", "--loglevel", "INFO"])
        topo.start("nginx", [*nginx, "-g", "daemon off;"])
        for n, port in enumerate(web_ports, start=1):
            wait_listening(topo.processes[f"web{n}"], port)
        wait_listening(topo.processes["nginx"], https_port)
        yield topo
    except BaseException:
        sys.stderr.write(topo.logs())
        raise
    finally:
        for process in reversed(list(topo.processes.values())):
            process.stop()
        sms.shutdown()
        sms.server_close()
