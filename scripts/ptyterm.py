"""A program in a pseudo-terminal, seen the way a user sees it: bytes with arrival times.

Shared by console_probe.py and fzf_compare.py. Standard library only. Times are
time.perf_counter() seconds; every wait has a deadline, so a hung program fails the
measurement with a message instead of hanging it.
"""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

# Synchronized-update end: crm wraps every frame in ?2026h ... ?2026l.
FRAME_END = b"\x1b[?2026l"

# Cursor motions become a gap (the cells between were not written in this frame); colour and
# other escapes vanish, so a name written in two colours still reads as one word.
_MOVES = re.compile(rb"\x1b\[[0-9;?]*[HfABCDGd]|\r|\n")
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def screen_text(data):
    """The printable text of a stretch of terminal output, cursor moves as double spaces."""
    data = _MOVES.sub(b"  ", data)
    data = _ESCAPES.sub(b"", data)
    return data.decode("utf-8", errors="replace")


def fail(message):
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr)
    sys.exit(1)


class Pty:
    """One child process on a pty of `cols` x `rows`; `stdin_path` feeds its stdin (fzf's
    list) while the terminal stays its controlling tty."""

    def __init__(self, argv, cols=120, rows=40, env=None, stdin_path=None):
        self.argv = argv
        full_env = dict(os.environ)
        full_env.update(env or {})
        stdin_fd = os.open(stdin_path, os.O_RDONLY) if stdin_path else None
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if stdin_fd is not None:
                    os.dup2(stdin_fd, 0)
                os.execvpe(argv[0], argv, full_env)
            finally:
                os._exit(127)
        if stdin_fd is not None:
            os.close(stdin_fd)
        self.pid = pid
        self.fd = fd
        # Every chunk read: (arrival time, bytes).
        self.chunks = []
        self.exit_status = None

    # ---- reading ---------------------------------------------------------------------

    def _read_once(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            raise EOFError(f"{self.argv[0]} closed the terminal")
        self.chunks.append((time.perf_counter(), data))
        return True

    def mark(self):
        """A position in the output; `since(mark)` is what came after it."""
        return len(self.chunks)

    def since(self, mark):
        return b"".join(d for _, d in self.chunks[mark:])

    def wait_for(self, predicate, mark, timeout):
        """Reads until predicate(bytes since mark) holds; returns the arrival time of the
        chunk that made it hold."""
        deadline = time.perf_counter() + timeout
        seen = b""
        index = mark
        while True:
            while index < len(self.chunks):
                seen += self.chunks[index][1]
                index += 1
                if predicate(seen):
                    return self.chunks[index - 1][0]
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            self._read_once(left)

    def settle(self, quiet=0.15, timeout=30.0):
        """Reads until nothing arrives for `quiet` seconds; returns the last arrival time."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self._read_once(quiet):
                break
        return self.chunks[-1][0] if self.chunks else None

    def drain_idle(self, seconds):
        """Reads for `seconds`, returning how many bytes arrived (an idle screen sends none)."""
        mark = self.mark()
        deadline = time.perf_counter() + seconds
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            self._read_once(left)
        return len(self.since(mark))

    # ---- writing and the process -----------------------------------------------------

    def send(self, text):
        """Writes keys; returns the time just before the write."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        at = time.perf_counter()
        os.write(self.fd, data)
        return at

    def proc(self, name):
        """A field of /proc/PID/status in kB (VmRSS, VmHWM), or None."""
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(name + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_ticks(self):
        """utime + stime of the process, in clock ticks."""
        with open(f"/proc/{self.pid}/stat") as f:
            stat = f.read()
        # The command name may hold spaces: fields are counted after its closing ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        return int(fields[11]) + int(fields[12])

    def close(self, keys=None, timeout=5.0):
        """Sends the quit keys, waits for the exit, terminates the child if it lingers."""
        if keys:
            try:
                self.send(keys)
            except OSError:
                pass
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                self.exit_status = status
                os.close(self.fd)
                return
            try:
                self._read_once(0.05)
            except EOFError:
                pass
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
