#!/usr/bin/env python3
"""A real SMTP relay for the SMTP transport's tests (aiosmtpd), on 127.0.0.1.

It makes its own CA and a server certificate for 127.0.0.1 in --certs (ca.pem is what the client trusts),
offers STARTTLS (--tls starttls, required before MAIL), implicit TLS (--tls tls) or nothing (--tls none),
and, with --user/--password, requires AUTH. Each message's fate is read from --mode-file when its DATA
ends: accept (250, appended to --out as one JSON line), defer (451), refuse (554), or drop (the connection
is cut before any reply, so the client cannot know whether it arrived; nothing is kept). Each EHLO is
logged to ehlo.log beside --out with its connection's id and the name given. Prints "ready PORT"
when it listens. Stops on SIGTERM.
"""
import argparse
import datetime
import ipaddress
import json
import signal
import ssl
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def make_certificates(folder: Path) -> tuple[Path, Path]:
    """A CA (ca.pem) and a server certificate for 127.0.0.1 and localhost signed by it."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "guidepost test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert = folder / "server.pem"
    cert.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file = folder / "server.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key_file


class Relay:
    def __init__(self, mode_file: Path, out: Path):
        self.mode_file = mode_file
        self.out = out
        self.lock = threading.Lock()

    def mode(self) -> str:
        try:
            return self.mode_file.read_text().strip() or "accept"
        except FileNotFoundError:
            return "accept"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # One line per EHLO: which connection (session) and the name the client gave.
        with self.lock, (self.out.parent / "ehlo.log").open("a", encoding="utf-8") as log:
            log.write(f"{id(session)} {hostname}\n")
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "defer":
            return "451 4.3.0 Try again later"
        if mode == "refuse":
            return "554 5.7.1 Message refused"
        if mode == "drop":
            session_transport = server.transport
            if session_transport is not None:
                session_transport.abort()
            return None
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        with self.lock, self.out.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
            out.flush()
        return "250 2.0.0 Queued"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode-file", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--certs", type=Path, required=True)
    parser.add_argument("--tls", choices=["starttls", "tls", "none"], default="starttls")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    params = {}
    implicit = None
    if args.tls != "none":
        cert, key = make_certificates(args.certs)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if args.tls == "starttls":
            params.update(tls_context=context, require_starttls=True)
        else:
            implicit = context
    if args.user:
        def authenticate(server, session, envelope, mechanism, data):
            ok = (
                isinstance(data, LoginPassword)
                and data.login.decode() == args.user
                and data.password.decode() == args.password
            )
            return AuthResult(success=ok, handled=False)

        # aiosmtpd counts only STARTTLS as TLS for AUTH; under implicit TLS the whole session is TLS.
        params.update(authenticator=authenticate, auth_required=True, auth_require_tls=args.tls == "starttls")
    controller = Controller(
        Relay(args.mode_file, args.out),
        hostname="127.0.0.1",
        port=args.port,
        ssl_context=implicit,
        server_hostname="127.0.0.1",
        **params,
    )
    controller.start()
    print(f"ready {args.port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
