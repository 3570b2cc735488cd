#!/usr/bin/env python3
"""ptyrun.py LOG PATTERN... -- COMMAND [ARG...]

Run COMMAND on a new pseudo-terminal that is its controlling terminal (as `docker run -it`
gives one), copy everything it writes to LOG, and type Ctrl-C once per PATTERN: each time the
output (since the previous Ctrl-C) matches the next PATTERN, a regular expression. Exit with
COMMAND's status (128+N if killed by signal N); 124 if a PATTERN did not show up or COMMAND did
not exit within 30 s (it is then killed), with the reason on stderr.
"""
import os
import pty
import re
import select
import signal
import sys
import time

DEADLINE_S = 30


def main():
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") < 1:
        sys.exit(__doc__)
    log_path = argv[0]
    patterns = argv[1:argv.index("--")]
    command = argv[argv.index("--") + 1:]

    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)

    out = b""
    seen = 0  # where the search for the next pattern starts
    deadline = time.monotonic() + DEADLINE_S
    with open(log_path, "wb") as log:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                what = ("'%s' did not show up" % patterns[0]) if patterns else "no exit"
                sys.stderr.write("ptyrun: %s within %d s\n" % (what, DEADLINE_S))
                return 124
            r, _, _ = select.select([fd], [], [], min(left, 0.1))
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:  # EIO: every process let go of the terminal
                    data = b""
                if not data:
                    break
                out += data
                log.write(data)
                log.flush()
            if patterns and re.search(patterns[0].encode(), out[seen:]):
                seen = len(out)
                patterns.pop(0)
                os.write(fd, b"\x03")
    _, status = os.waitpid(pid, 0)
    if patterns:
        sys.stderr.write("ptyrun: exited before '%s' showed up\n" % patterns[0])
        return 124
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
