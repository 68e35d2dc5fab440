#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""An https server that sends every request to plain http with a 307, and
the plain http server behind it, which writes down whatever reaches it.

usage: tlsredirect.py CERT KEY LOG
Prints "TLS_PORT PLAIN_PORT" once both listen; runs until killed.
"""
import http.server
import ssl
import sys
import threading

CERT, KEY, LOG = sys.argv[1:4]


class Plain(http.server.BaseHTTPRequestHandler):
    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with open(LOG, "ab") as f:
            f.write(f"{self.command} {self.path} {len(body)} bytes "
                    f"auth={'Authorization' in self.headers}\n".encode())
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = handle_one

    def log_message(self, *args):
        pass


def make_tls(plain_port):
    class Tls(http.server.BaseHTTPRequestHandler):
        def handle_one(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            self.send_response(307)
            self.send_header("Location",
                             f"http://127.0.0.1:{plain_port}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = handle_one

        def log_message(self, *args):
            pass
    return Tls


plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Plain)
tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                      make_tls(plain.server_address[1]))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
threading.Thread(target=plain.serve_forever, daemon=True).start()
print(tls.server_address[1], plain.server_address[1], flush=True)
tls.serve_forever()
