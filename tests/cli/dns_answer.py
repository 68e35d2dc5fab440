# SPDX-License-Identifier: MIT
# dns_answer.py - a resolver the test controls: answers SRV and TXT for
# _caldavs._tcp.<domain> (RFC 6764), NXDOMAIN for anything else.
# usage: dns_answer.py DOMAIN TARGET PORT PATH [LISTEN_PORT]
# Listens on 127.0.0.1 (port 53 unless told; the system resolver asks
# nowhere else), prints the port once listening, runs until killed.
import socket
import struct
import sys

DOMAIN, TARGET, PORT, PATH = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
SRV_NAME = f"_caldavs._tcp.{DOMAIN}".lower()


def labels(name):
    out = b""
    for part in name.strip(".").split("."):
        out += bytes([len(part)]) + part.encode()
    return out + b"\0"


def read_name(msg, at):
    parts = []
    while msg[at]:
        n = msg[at]
        parts.append(msg[at + 1:at + 1 + n].decode())
        at += n + 1
    return ".".join(parts).lower(), at + 1


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[5]) if len(sys.argv) > 5 else 53))
print(s.getsockname()[1], flush=True)
while True:
    msg, peer = s.recvfrom(4096)
    qid = msg[:2]
    name, at = read_name(msg, 12)
    qtype = struct.unpack("!H", msg[at:at + 2])[0]
    question = msg[12:at + 4]
    answers = []
    if name == SRV_NAME and qtype == 33:  # SRV
        rdata = struct.pack("!HHH", 10, 5, PORT) + labels(TARGET)
        answers.append((33, rdata))
    elif name == SRV_NAME and qtype == 16:  # TXT
        txt = f"path={PATH}".encode()
        answers.append((16, bytes([len(txt)]) + txt))
    rcode = 0 if answers or name == SRV_NAME else 3
    head = qid + struct.pack("!HHHHH", 0x8180 | rcode, 1, len(answers), 0, 0)
    body = b"".join(b"\xc0\x0c" + struct.pack("!HHIH", t, 1, 60, len(r)) + r
                    for t, r in answers)
    s.sendto(head + question + body, peer)
