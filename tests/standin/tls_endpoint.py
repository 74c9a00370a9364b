"""An HTTPS endpoint for the TLS test: a certificate authority and a localhost certificate made on
the spot (with `cryptography`, which moto already needs), the CA written to DIR/ca.pem, the port
printed on stdout; every POST is answered as Athena answers a request it refuses, so a client that
completes the TLS handshake and trusts the certificate gets an AWS error it can name.

    python tls_endpoint.py DIR
"""
import datetime
import http.server
import ipaddress
import json
import ssl
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MESSAGE = "refused by the TLS test endpoint"


def certificate(subject, issuer, key, signer, ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        b = b.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return b.sign(signer, hashes.SHA256())


class Refuse(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps({"__type": "InvalidRequestException", "Message": MESSAGE}).encode()
        self.send_response(400)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    out = sys.argv[1]
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("athq test CA", "athq test CA", ca_key, ca_key, True)
    leaf = certificate("localhost", "athq test CA", leaf_key, ca_key, False)
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
    with open(f"{out}/ca.pem", "wb") as f:
        f.write(pem(ca))
    with open(f"{out}/leaf.pem", "wb") as f:
        f.write(pem(leaf))
    with open(f"{out}/leaf.key", "wb") as f:
        f.write(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    server = http.server.HTTPServer(("127.0.0.1", 0), Refuse)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f"{out}/leaf.pem", f"{out}/leaf.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
