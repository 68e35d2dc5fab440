#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# latency-proxy.py - a TCP proxy on 127.0.0.1 that puts a server at a
# distance: every chunk waits half the round trip in each direction, so
# each request and its answer cost one RTT, as over the internet. It
# counts connections and HTTP/1.1 requests (from the request lines and
# Content-Length of what clients send), and stops by itself after a time
# or a number of requests, so a bench that dies cannot leave it behind.
#
# usage: latency-proxy.py UPSTREAM_PORT [--rtt-ms 50] [--time-limit 900]
#                         [--max-requests 100000] [--stats FILE]
# Prints the port it listens on, on one line. FILE (if given) is rewritten
# after each request: "requests N connections M".
import argparse
import asyncio
import os
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("upstream", type=int)
ap.add_argument("--rtt-ms", type=float, default=50.0)
ap.add_argument("--time-limit", type=float, default=900.0)
ap.add_argument("--max-requests", type=int, default=100000)
ap.add_argument("--stats")
args = ap.parse_args()
DELAY = args.rtt_ms / 2000.0  # one way, in seconds
counts = {"requests": 0, "connections": 0}
done = None  # set in main


def save_stats():
    if not args.stats:
        return
    with open(args.stats + ".tmp", "w") as f:
        f.write(f"requests {counts['requests']} connections {counts['connections']}\n")
    os.replace(args.stats + ".tmp", args.stats)


class RequestCounter:
    """Finds request boundaries in what a client sends (HTTP/1.1 with
    Content-Length bodies, as curl, tiara and vdirsyncer send them)."""

    def __init__(self):
        self.buf = b""
        self.body_left = 0

    def feed(self, data):
        self.buf += data
        while True:
            if self.body_left:
                n = min(self.body_left, len(self.buf))
                self.buf = self.buf[n:]
                self.body_left -= n
                if self.body_left:
                    return
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].decode("latin-1").split("\r\n")
            self.buf = self.buf[end + 4:]
            counts["requests"] += 1
            for line in head[1:]:
                k, _, v = line.partition(":")
                if k.strip().lower() == "content-length":
                    self.body_left = int(v.strip() or 0)
            save_stats()
            if counts["requests"] >= args.max_requests:
                print("latency-proxy: request limit reached", file=sys.stderr)
                done.set()


async def pipe(reader, writer, counter=None):
    """Copy reader to writer, each chunk held back DELAY seconds, in
    order; the delays overlap, so bandwidth is not cut."""
    q = asyncio.Queue()

    async def deliver():
        while True:
            at, data = await q.get()
            if data is None:
                break
            wait = at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if counter and data:
                counter.feed(data)
            await q.put((time.monotonic() + DELAY, data or None))
            if not data:
                break
    except (ConnectionError, OSError):
        await q.put((0, None))
    try:
        await task
    except (ConnectionError, OSError):
        pass


async def handle(creader, cwriter):
    counts["connections"] += 1
    save_stats()
    try:
        # TCP's handshake is one round trip too
        await asyncio.sleep(2 * DELAY)
        ureader, uwriter = await asyncio.open_connection("127.0.0.1", args.upstream)
    except OSError:
        cwriter.close()
        return
    await asyncio.gather(pipe(creader, uwriter, RequestCounter()),
                         pipe(ureader, cwriter))
    for w in (uwriter, cwriter):
        try:
            w.close()
        except OSError:
            pass


async def main():
    global done
    done = asyncio.Event()
    srv = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(srv.sockets[0].getsockname()[1], flush=True)
    save_stats()
    try:
        await asyncio.wait_for(done.wait(), args.time_limit)
    except asyncio.TimeoutError:
        print("latency-proxy: time limit reached", file=sys.stderr)
    srv.close()


asyncio.run(main())
