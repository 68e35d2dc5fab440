# SPDX-License-Identifier: MIT
# faultproxy.py - a tiny HTTP proxy in front of a CalDAV server that
# injects faults and counts requests and bytes.
#
# usage: faultproxy.py UPSTREAM_PORT RULES_FILE LOG_FILE PORT_FILE
# RULES_FILE is read before every request; each line is
#   METHOD ACTION COUNT      (METHOD may be ANY, SYNCREPORT for a
#                             sync-collection REPORT only, or MULTIGET
#                             for a calendar-multiget)
# with ACTION one of 503, 502, 500, 501, 207 (answer that status instead of
# forwarding), 503ra:SECONDS and 429ra:SECONDS (the same status with a
# Retry-After header), reset (close the connection without answering), truncate
# (forward, then cut the answer body in half: the connection drops),
# garble (forward a complete answer holding half the XML), trunc507 (a
# sync-collection answer cut to one result with a 507), redirect (307
# to the same path on this proxy), redirectaway (307 to the server
# itself: another origin), forgettoken (a sync-collection asked with a token
# is answered as for none: the whole listing, as DAViCal answers a token
# it lost), dropone (a calendar-multiget answer leaves out its first
# result, as DAViCal does for an href it cannot match), slow (wait 7 s,
# then forward) and auth:USER:PASSWORD
# (answer 401 unless Basic credentials match; COUNT is ignored; with
# :digest at the end, Digest of RFC 7616 instead) and pass
# (forward untouched: lets a later rule hit a later request). COUNT
# requests are affected, then the rule is spent. LOG_FILE gets one line
# per request: METHOD PATH STATUS BYTES_IN BYTES_OUT START END, the last
# two the request's arrival and its answer's end, in ms of this process's
# monotonic clock.
import base64
import hashlib
import http.client
import re
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = int(sys.argv[1])
RULES = sys.argv[2]
LOG = sys.argv[3]
lock = threading.Lock()


def take_rule(method, alt=None):
    """The action for this request, spending one use of its rule."""
    with lock:
        try:
            with open(RULES) as f:
                lines = [l.split() for l in f if l.strip()]
        except FileNotFoundError:
            return None
        action = None
        for rule in lines:
            if len(rule) < 2:
                continue
            if rule[1].startswith("auth:"):
                if action is None:
                    action = rule[1]
                continue
            if action is None and rule[0] in (method, alt, "ANY") and int(rule[2]) > 0:
                action = rule[1]
                rule[2] = str(int(rule[2]) - 1)
        with open(RULES + ".tmp", "w") as f:
            f.write("".join(" ".join(r) + "\n" for r in lines))
        os.replace(RULES + ".tmp", RULES)
        return action


REALM = "test"
NONCE = base64.b64encode(os.urandom(12)).decode()


def digest_ok(header, user, password, method):
    """RFC 7616 with MD5 and qop=auth, as libcurl answers it."""
    if not header.startswith("Digest "):
        return False
    f = {k: a or b for k, a, b in
         re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[7:])}
    if f.get("username") != user or f.get("nonce") != NONCE:
        return False
    md5 = lambda t: hashlib.md5(t.encode()).hexdigest()
    ha1 = md5(f"{user}:{REALM}:{password}")
    ha2 = md5(f"{method}:{f.get('uri', '')}")
    want = md5(f"{ha1}:{NONCE}:{f.get('nc', '')}:{f.get('cnonce', '')}:"
               f"{f.get('qop', '')}:{ha2}")
    return f.get("response") == want


def log(line):
    with lock:
        with open(LOG, "a") as f:
            f.write(line + "\n")


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        self.t0 = time.monotonic()
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        head_in = len(str(self.headers)) + len(self.requestline) + 2
        # SYNCREPORT names a sync-collection REPORT, apart from multigets
        alt = ("SYNCREPORT" if self.command == "REPORT" and b"sync-collection" in body
               else "MULTIGET" if self.command == "REPORT" and b"calendar-multiget" in body
               else self.command)
        action = take_rule(self.command, alt)
        if action and action.startswith("auth:"):
            _, user, password, *scheme = action.split(":")
            if scheme == ["digest"]:
                ok = digest_ok(self.headers.get("Authorization") or "",
                               user, password, self.command)
                challenge = (f'Digest realm="{REALM}", nonce="{NONCE}", '
                             'qop="auth", algorithm=MD5')
            else:
                ok = self.headers.get("Authorization") == "Basic " + \
                    base64.b64encode(f"{user}:{password}".encode()).decode()
                challenge = f'Basic realm="{REALM}"'
            if not ok:
                self.reply(401, b"auth needed", head_in + n,
                           [("WWW-Authenticate", challenge)])
                return
            action = take_rule_after_auth(self.command, alt)
        if action == "pass":
            action = None
        if action == "redirect":
            # RFC 9110 15.4.8: 307 keeps the method and the body; here to
            # the same origin, a path this proxy maps back
            self.reply(307, b"moved", head_in + n,
                       [("Location", "/_moved_" + self.path)])
            return
        if action == "redirectaway":
            # to the server itself: another origin (its own port)
            self.reply(307, b"moved", head_in + n,
                       [("Location",
                         f"http://127.0.0.1:{UPSTREAM}{self.path}")])
            return
        if self.path.startswith("/_moved_/"):
            self.path = self.path[len("/_moved_"):]
        if action in ("503", "502", "500", "207", "501"):
            self.reply(int(action), b"injected", head_in + n)
            return
        if action and action[:6] in ("503ra:", "429ra:"):
            self.reply(int(action[:3]), b"injected", head_in + n,
                       [("Retry-After", action[6:])])
            return
        if action == "reset":
            log(f"{self.command} {self.path} reset {head_in + n} 0{self.times()}")
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.close_connection = True
            self.connection.close()
            return
        if action == "slow":
            time.sleep(7)
        if action == "forgettoken":
            body = re.sub(rb"(<(?:\w+:)?sync-token)>[^<]*</(?:\w+:)?sync-token>",
                          rb"\1/>", body)
            self.headers.replace_header("Content-Length", str(len(body)))
        up = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "authorization")}
        try:
            up.request(self.command, self.path, body=body, headers=headers)
            r = up.getresponse()
            data = r.read()
        except OSError:
            self.reply(502, b"upstream down", head_in + n)
            return
        finally:
            up.close()
        hdrs = [(k, v) for k, v in r.getheaders()
                if k.lower() not in ("content-length", "transfer-encoding",
                                     "connection")]
        if action == "trunc507":
            # RFC 6578 3.6: the first result only, a 507 for the
            # collection, and a token to go on from (here: the one asked
            # with, so the next request lists the rest again)
            text = data.decode()
            asked = re.search(r"<(?:\w+:)?sync-token>([^<]*)</", body.decode())
            m = re.search(r"<(\w+:|)response>.*?</\1response>", text, re.S)
            p = (m.group(1) or "") if m else ""
            if m:
                tail = (f"<{p}response><{p}href>{self.path}</{p}href>"
                        f"<{p}status>HTTP/1.1 507 Insufficient Storage"
                        f"</{p}status></{p}response>")
                text = re.sub(r"<(\w+:)?response>.*</(\w+:)?response>",
                              lambda _: m.group(0) + tail, text, flags=re.S)
                text = re.sub(r"(<(?:\w+:)?sync-token>)[^<]*(</)",
                              lambda t: t.group(1) + (asked.group(1) if asked else "") + t.group(2),
                              text)
            data = text.encode()
        if action == "forgettoken":
            # a whole listing names what is there, not what was deleted
            data = re.sub(rb"<(\w+:|)response>(?:(?!</\1response>).)*? 404 "
                          rb".*?</\1response>", b"", data, flags=re.S)
        if action == "dropone" and b"calendar-multiget" in body:
            data = re.sub(rb"<(\w+:|)response>.*?</\1response>", b"", data,
                          count=1, flags=re.S)
        if action == "garble":
            # a whole HTTP answer whose XML stops half-way
            data = data[: len(data) // 2]
        if action == "truncate":
            self.send_response(r.status)
            for k, v in hdrs:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            log(f"{self.command} {self.path} truncated {head_in + n} "
                f"{len(data) // 2}{self.times()}")
            self.close_connection = True
            return
        self.reply(r.status, data, head_in + n, hdrs)

    def reply(self, status, data, bytes_in, hdrs=()):
        self.send_response(status)
        for k, v in hdrs:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        log(f"{self.command} {self.path} {status} {bytes_in} {len(data)}"
            f"{self.times()}")

    def times(self):
        return f" {self.t0 * 1000:.0f} {time.monotonic() * 1000:.0f}"

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = handle_any
    do_OPTIONS = do_MKCOL = do_HEAD = do_POST = handle_any


def take_rule_after_auth(method, alt=None):
    """Authenticated: other rules still apply."""
    with lock:
        try:
            with open(RULES) as f:
                lines = [l.split() for l in f if l.strip()]
        except FileNotFoundError:
            return None
        action = None
        for rule in lines:
            if len(rule) < 3 or rule[1].startswith("auth:"):
                continue
            if action is None and rule[0] in (method, alt, "ANY") and int(rule[2]) > 0:
                action = rule[1]
                rule[2] = str(int(rule[2]) - 1)
        with open(RULES + ".tmp", "w") as f:
            f.write("".join(" ".join(r) + "\n" for r in lines))
        os.replace(RULES + ".tmp", RULES)
        return action


srv = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
with open(sys.argv[4] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.replace(sys.argv[4] + ".tmp", sys.argv[4])
srv.serve_forever()
