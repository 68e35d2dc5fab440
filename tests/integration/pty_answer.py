# SPDX-License-Identifier: MIT
# pty_answer.py - run a command on a pseudo-terminal and answer one prompt.
# usage: pty_answer.py PROMPT ANSWER COMMAND [ARG...]
# Prints what the terminal showed; exits with the command's status.
import os
import pty
import select
import signal
import sys

prompt, answer = sys.argv[1].encode(), sys.argv[2].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])
shown, answered = b"", False
while True:
    ready, _, _ = select.select([fd], [], [], 30)
    if not ready:  # stuck (at a prompt never answered, say): end it
        os.kill(pid, signal.SIGKILL)
        break
    try:
        data = os.read(fd, 4096)
    except OSError:  # the command closed the terminal
        break
    if not data:
        break
    shown += data
    if not answered and prompt in shown:
        os.write(fd, answer + b"\n")
        answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
