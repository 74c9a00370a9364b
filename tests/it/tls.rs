//! The SDK's HTTPS client (rustls on ring, set up in engine/aws.rs) against a real TLS endpoint on
//! loopback (tests/standin/tls_endpoint.py): with its CA trusted (SSL_CERT_FILE, as the system
//! store would) the request arrives and AWS's refusal is reported; without, the certificate is
//! refused and the message says why.

use std::io::BufRead;
use std::process::{Command, Stdio};

use crate::run;
use crate::support::{athq, python};

struct Endpoint(std::process::Child);

impl Drop for Endpoint {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_sdk_speaks_tls_to_an_endpoint_it_trusts_and_refuses_one_it_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/standin/tls_endpoint.py");
    let mut child = Command::new(python())
        .arg(script)
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python with `cryptography` (scripts/test installs it)");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _endpoint = Endpoint(child);
    let url = format!("https://localhost:{}", line.trim());
    let ca = dir.path().join("ca.pem");

    let exec = |trust: bool| {
        let mut cmd = athq(dir.path());
        cmd.args(["exec", "--sql", "SELECT 1", "--region", "us-east-1", "--workgroup", "primary"])
            .args(["--endpoint-url", &url])
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_MAX_ATTEMPTS", "1");
        if trust {
            cmd.env("SSL_CERT_FILE", &ca);
        }
        run(&mut cmd)
    };
    let trusted = exec(true);
    assert_eq!(trusted.code, 1, "{}", trusted.stderr);
    assert!(
        trusted.stderr.contains("InvalidRequestException: refused by the TLS test endpoint"),
        "{}",
        trusted.stderr
    );
    let untrusted = exec(false);
    assert_eq!(untrusted.code, 1, "{}", untrusted.stderr);
    assert!(
        untrusted.stderr.contains("cannot reach the endpoint: invalid peer certificate"),
        "{}",
        untrusted.stderr
    );
}
