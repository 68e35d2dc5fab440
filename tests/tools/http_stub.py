# SPDX-License-Identifier: MIT
"""http_stub.py MODE [ARG] - a one-purpose WebDAV server on 127.0.0.1 for the
CLI tests; prints its port, then answers every request the MODE's way:
  bigheader  207 with one header of 200 KB (more than libcurl takes)
  bigbody    207 with a body of 300 KB (more than a stdio buffer)
  elsewhere URL  207 naming URL as the calendar home set
  log FILE   207 with nothing, writing each request's Authorization to FILE
  hang FILE  writes each request's line to FILE, then holds the connection
             open and never answers
  redirect URL   307 to URL
  loop       307 to the same path with one more 'x', without end
  length     207 saying Content-Length: 10^15, then a short body and close
  headers    a status line, then header lines without end
  laughs     207 whose multistatus declares nested entities (billion laughs)
  calendar FILE  an empty calendar that takes every PUT and DELETE and
             never lists them; each request's line goes to FILE
Environment: STUB_AUTH=USER:PASS[,USER:PASS...] answers 401 (Basic) until
a request carries one of those, and logs each 401 to the FILE of
log, hang or calendar;
STUB_CERT and STUB_KEY serve https with that certificate; STUB_HOST
listens on another loopback address than 127.0.0.1."""
import base64
import os
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
ARG = sys.argv[2] if len(sys.argv) > 2 else ""
AUTH = os.environ.get("STUB_AUTH")
BODY = ('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">'
        + '<!-- %s -->' % ("x" * 300000)
        + '</D:multistatus>').encode()
# Ten levels of ten: expanded, one reference would be 10^10 "lol"s.
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE D:multistatus [\n'
          '<!ENTITY l0 "lol">\n'
          + "".join('<!ENTITY l%d "%s">\n' % (i, ("&l%d;" % (i - 1)) * 10)
                    for i in range(1, 11))
          + ']>\n<D:multistatus xmlns:D="DAV:"><D:response>'
          '<D:href>/cal/&l10;.ics</D:href><D:propstat><D:prop>'
          '<D:getetag>"&l10;"</D:getetag></D:prop>'
          '<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>'
          '<D:sync-token>&l10;</D:sync-token></D:multistatus>').encode()


def note(line):
    with open(ARG, "a") as log:
        log.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def authorised(self):
        if not AUTH:
            return True
        given = self.headers.get("Authorization")
        if any(given == "Basic " + base64.b64encode(a.encode()).decode()
               for a in AUTH.split(",")):
            return True
        if MODE in ("log", "hang", "calendar"):
            note("%s %s 401" % (self.command, self.path))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="stub"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.authorised():
            return
        if MODE == "hang":
            note("%s %s" % (self.command, self.path))
            time.sleep(3600)
            return
        if MODE in ("redirect", "loop"):
            self.send_response(307)
            self.send_header("Location", ARG if MODE == "redirect"
                             else self.path + "x")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if MODE == "calendar":
            self.calendar()
            return
        if MODE == "headers":
            self.wfile.write(b"HTTP/1.1 207 Multi-Status\r\n")
            try:
                while True:
                    self.wfile.write(b"X-More: " + b"y" * 1000 + b"\r\n")
            except OSError:
                return
        self.send_response(207)
        if MODE == "log":
            note("%s %s" % (self.path, self.headers.get("Authorization")))
        if MODE in ("elsewhere", "log"):
            body = ('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" '
                    'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:response>'
                    '<D:href>%s</D:href><D:propstat><D:prop>'
                    '<D:resourcetype><D:collection/></D:resourcetype>%s'
                    '</D:prop><D:status>HTTP/1.1 200 OK</D:status>'
                    '</D:propstat></D:response></D:multistatus>' % (
                        self.path,
                        '<C:calendar-home-set><D:href>%s</D:href>'
                        '</C:calendar-home-set>' % ARG
                        if MODE == "elsewhere" else "")).encode()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif MODE == "bigheader":
            self.send_header("X-Big", "x" * 200000)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif MODE == "length":
            self.send_header("Content-Length", str(10 ** 15))
            self.end_headers()
            self.wfile.write(b'<?xml version="1.0"?><D:multistatus')
            self.close_connection = True
        elif MODE == "laughs":
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(LAUGHS)))
            self.end_headers()
            self.wfile.write(LAUGHS)
        else:
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    def calendar(self):
        note("%s %s" % (self.command, self.path))
        if self.command in ("PUT", "DELETE"):
            self.send_response(201 if self.command == "PUT" else 204)
            self.send_header("ETag", '"e%d"' % time.monotonic_ns())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = ('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" '
                'xmlns:C="urn:ietf:params:xml:ns:caldav">%s'
                '<D:sync-token>http://stub/t1</D:sync-token>'
                '</D:multistatus>' % (
                    '<D:response><D:href>%s</D:href><D:propstat><D:prop>'
                    '<D:resourcetype><D:collection/><C:calendar/>'
                    '</D:resourcetype><C:supported-calendar-component-set>'
                    '<C:comp name="VEVENT"/><C:comp name="VTODO"/>'
                    '</C:supported-calendar-component-set></D:prop>'
                    '<D:status>HTTP/1.1 200 OK</D:status></D:propstat>'
                    '</D:response>' % self.path
                    if self.command == "PROPFIND" else "")).encode()
        self.send_response(207)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PROPFIND = do_REPORT = do_PUT = do_DELETE = do_GET = answer
    do_OPTIONS = do_HEAD = answer


server = ThreadingHTTPServer((os.environ.get("STUB_HOST", "127.0.0.1"), 0),
                             Handler)
server.daemon_threads = True
if os.environ.get("STUB_CERT"):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.environ["STUB_CERT"], os.environ.get("STUB_KEY"))
    server.socket = tls.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
try:
    server.serve_forever()
except (KeyboardInterrupt, BrokenPipeError):
    pass
