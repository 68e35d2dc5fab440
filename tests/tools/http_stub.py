# SPDX-License-Identifier: MIT
"""http_stub.py MODE - a one-purpose WebDAV server on 127.0.0.1 for the CLI
tests; prints its port, then answers every PROPFIND the MODE's way:
  bigheader  207 with one header of 200 KB (more than libcurl takes)
  bigbody    207 with a body of 300 KB (more than a stdio buffer)"""
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

MODE = sys.argv[1]
BODY = ('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">'
        + '<!-- %s -->' % ("x" * 300000)
        + '</D:multistatus>').encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_PROPFIND(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(207)
        if MODE == "bigheader":
            self.send_header("X-Big", "x" * 200000)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
