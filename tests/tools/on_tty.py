#!/usr/bin/env python3
"""on_tty.py CMD [ARG...]: run CMD on a fresh pseudo-terminal, copy what it
writes to stdout, exit with its status.

Stands in for script(1), whose util-linux 2.38 build can hang after the
child has exited when its own stdin is not a terminal. Stdin is never read;
a child still running after 30 s is killed and reported."""
import os
import pty
import select
import signal
import sys
import time

DEADLINE = 30.0


def main(argv):
    if not argv:
        print("usage: on_tty.py CMD [ARG...]", file=sys.stderr)
        return 2
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    end = time.monotonic() + DEADLINE
    out = sys.stdout.buffer
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([master], [], [], left)[0]:
            os.kill(pid, signal.SIGKILL)
            print(f"on_tty.py: {argv[0]} still running after {DEADLINE:.0f} s",
                  file=sys.stderr)
            return 124
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every writer to the terminal has gone
            break
        if not data:
            break
        out.write(data)
    out.flush()
    os.close(master)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) & 0xff


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
