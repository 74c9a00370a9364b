"""A fault-injecting HTTP proxy in front of the AWS stand-in, for tests of what athq does when S3
misbehaves between listing and reading.

    python fault_proxy.py UPSTREAM_URL RULES_JSON PORT_FILE

It listens on a free loopback port (written to PORT_FILE), forwards every request to UPSTREAM_URL
(the stand-in) and applies RULES_JSON, a list of rules tried in order on each request:

  {"fault": "cut", "key": "part", "after": 1000, "times": 1}
      a GetObject of a key containing "part": the answer's headers (with the object's full
      Content-Length) and its first `after` bytes, then the connection is closed. `times` is how
      many such requests are cut (then they pass); -1 for every one.
  {"fault": "throttle", "op": "GetObject", "times": 3}
      answers S3's 503 SlowDown, as S3 does under load, to the first `times` requests of `op`
      (GetObject, ListObjectsV2, HeadObject).
  {"fault": "delete-after-list", "key": "part"}
      once a ListObjectsV2 answer has passed through, deletes (upstream) every object whose key
      contains "part": the object vanishes between listing and reading.

Every request is logged; GET /__log__ answers the log as JSON lines (method, path, query, range,
op, fault). It exits when its stdin closes.
"""

import http.client
import http.server
import json
import socketserver
import sys
import threading
import urllib.parse

UPSTREAM = urllib.parse.urlparse(sys.argv[1])
RULES = json.loads(open(sys.argv[2]).read())
LOCK = threading.Lock()
LOG = []


def operation(method, path, query):
    parts = path.lstrip("/").split("/", 1)
    if method == "GET" and "list-type=2" in query:
        return "ListObjectsV2"
    if method == "GET" and len(parts) == 2 and parts[1]:
        return "GetObject"
    if method == "HEAD" and len(parts) == 2 and parts[1]:
        return "HeadObject"
    return method


def take(rule):
    """Counts one use of a rule that has `times`; False once it is used up."""
    with LOCK:
        times = rule.get("times", -1)
        if times == 0:
            return False
        if times > 0:
            rule["times"] = times - 1
        return True


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def upstream(self, method, path, body, headers):
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp, data

    def handle_any(self):
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path == "/__log__":
            text = "".join(json.dumps(e) + "\n" for e in LOG).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        op = operation(self.command, parsed.path, parsed.query)
        key = urllib.parse.unquote(parsed.path.lstrip("/").split("/", 1)[-1])
        entry = {
            "method": self.command,
            "path": parsed.path,
            "query": parsed.query,
            "range": self.headers.get("Range"),
            "op": op,
            "fault": None,
        }
        with LOCK:
            LOG.append(entry)
        for rule in RULES:
            if rule["fault"] == "throttle" and rule.get("op") == op and take(rule):
                entry["fault"] = "throttle"
                text = b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'
                self.send_response(503)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
                return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        resp, data = self.upstream(self.command, self.path, body, headers)
        cut = None
        if op == "GetObject":
            for rule in RULES:
                if rule["fault"] == "cut" and rule["key"] in key and take(rule):
                    cut = rule["after"]
                    break
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        if cut is not None and cut < len(data):
            entry["fault"] = "cut"
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data[:cut])
                self.wfile.flush()
            self.close_connection = True
            return
        # Deleted before the listing reaches the client: the object is gone by the time it asks.
        if op == "ListObjectsV2" and resp.status == 200:
            self.delete_listed(parsed.path, data, headers)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def delete_listed(self, path, listing, headers):
        bucket = path.lstrip("/").split("/", 1)[0]
        for rule in RULES:
            if rule["fault"] != "delete-after-list":
                continue
            text = listing.decode("utf-8", "replace")
            for chunk in text.split("<Key>")[1:]:
                key = chunk.split("</Key>", 1)[0]
                if rule["key"] in key:
                    auth = {k: v for k, v in headers.items() if k.lower() in ("authorization", "x-amz-date", "x-amz-content-sha256", "host")}
                    self.upstream("DELETE", "/" + bucket + "/" + urllib.parse.quote(key), None, auth)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Proxy)
    with open(sys.argv[3] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os

    os.replace(sys.argv[3] + ".tmp", sys.argv[3])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()


if __name__ == "__main__":
    main()
