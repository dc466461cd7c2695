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
import unicodedata

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


class Screen:
    """Just enough of a terminal to read what is on screen: printable text at the cursor
    (East Asian wide characters take two cells), cursor motions, erases, scroll regions with
    line insert/delete and scrolls. Colours and modes are ignored. Bytes may arrive split anywhere; an unfinished sequence waits for the rest.
    """

    _CSI = re.compile(rb"\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])")

    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.cells = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.top, self.bottom = 0, rows - 1
        self.pending = b""

    def text(self):
        return "\n".join("".join(c for c in line if c is not None) for line in self.cells)

    def feed(self, data):
        data = self.pending + data
        self.pending = b""
        i, n = 0, len(data)
        while i < n:
            b = data[i]
            if b == 0x1B:
                end = self._escape(data, i)
                if end is None:
                    self.pending = data[i:]
                    return
                i = end
            elif b == 0x0D:
                self.col, i = 0, i + 1
            elif b == 0x0A:
                self.row, i = min(self.row + 1, self.rows - 1), i + 1
            elif b == 0x08:
                self.col, i = max(self.col - 1, 0), i + 1
            elif b < 0x20 or b == 0x7F:
                i += 1
            else:
                size = 1 if b < 0x80 else 2 if b >> 5 == 0b110 else 3 if b >> 4 == 0b1110 else 4
                if i + size > n:
                    self.pending = data[i:]
                    return
                self._put(data[i : i + size].decode("utf-8", errors="replace"))
                i += size

    def _put(self, ch):
        wide = unicodedata.east_asian_width(ch) in "WF"
        if self.col >= self.cols:
            return
        self.cells[self.row][self.col] = ch
        if wide and self.col + 1 < self.cols:
            # The second cell of a wide character holds nothing of its own.
            self.cells[self.row][self.col + 1] = None
        self.col += 2 if wide else 1

    def _escape(self, data, i):
        """Applies the sequence at data[i]; returns the index after it, or None if cut."""
        if i + 1 >= len(data):
            return None
        kind = data[i + 1]
        if kind == ord("["):
            m = self._CSI.match(data, i)
            if not m:
                # Unfinished unless something malformed is in the way: skip the ESC then.
                return None if len(data) - i < 32 else i + 1
            self._csi(m.group(1), m.group(3))
            return m.end()
        if kind == ord("]"):
            for end_seq in (b"\x07", b"\x1b\\"):
                j = data.find(end_seq, i)
                if j >= 0:
                    return j + len(end_seq)
            return None
        if kind in b"()":
            return i + 3 if i + 2 < len(data) else None
        return i + 2

    def _csi(self, params, final):
        if params.startswith(b"?"):
            return
        nums = [int(p) if p else 0 for p in params.split(b";")] if params else []
        first = nums[0] if nums else 0
        step = max(first, 1)
        f = final.decode()
        if f in "Hf":
            self.row = min(max((nums[0] if nums else 1) - 1, 0), self.rows - 1)
            self.col = min(max((nums[1] if len(nums) > 1 else 1) - 1, 0), self.cols - 1)
        elif f == "A":
            self.row = max(self.row - step, 0)
        elif f == "B":
            self.row = min(self.row + step, self.rows - 1)
        elif f == "C":
            self.col = min(self.col + step, self.cols - 1)
        elif f == "D":
            self.col = max(self.col - step, 0)
        elif f == "G":
            self.col = min(step - 1, self.cols - 1)
        elif f == "d":
            self.row = min(step - 1, self.rows - 1)
        elif f == "K":
            line = self.cells[self.row]
            span = {0: range(self.col, self.cols), 1: range(0, self.col + 1)}.get(first, range(self.cols))
            for c in span:
                line[c] = " "
        elif f == "J":
            if first == 0:
                rows = range(self.row + 1, self.rows)
                self._csi(b"0", b"K")
            elif first == 1:
                rows = range(0, self.row)
                self._csi(b"1", b"K")
            else:
                rows = range(self.rows)
            for r in rows:
                self.cells[r] = [" "] * self.cols
        elif f == "r":
            top = (nums[0] if nums and nums[0] else 1) - 1
            bottom = min(nums[1] if len(nums) > 1 and nums[1] else self.rows, self.rows) - 1
            self.top, self.bottom = (top, bottom) if top < bottom else (0, self.rows - 1)
            self.row = self.col = 0
        elif f in "LM" and self.top <= self.row <= self.bottom:
            self._shift(self.row, step if f == "M" else -step)
        elif f in "ST":
            self._shift(self.top, step if f == "S" else -step)

    def _shift(self, start, lines):
        """Moves rows start..bottom of the scroll region up (lines > 0) or down; the rows
        left behind are blank."""
        band = self.cells[start : self.bottom + 1]
        n = min(abs(lines), len(band))
        blank = [[" "] * self.cols for _ in range(n)]
        band = band[n:] + blank if lines > 0 else blank + band[: len(band) - n]
        self.cells[start : self.bottom + 1] = band


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
        self.screen = Screen(cols, rows)
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
        self.screen.feed(data)
        return True

    def mark(self):
        """A position in the output; `since(mark)` is what came after it."""
        return len(self.chunks)

    def since(self, mark):
        return b"".join(d for _, d in self.chunks[mark:])

    def wait_for(self, predicate, mark, timeout):
        """Reads until predicate(bytes since mark) holds, judged after each chunk (so
        `self.screen` is the screen as of that chunk); returns that chunk's arrival time."""
        deadline = time.perf_counter() + timeout
        if len(self.chunks) > mark and predicate(self.since(mark)):
            return self.chunks[-1][0]
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            if self._read_once(left) and predicate(self.since(mark)):
                return self.chunks[-1][0]

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

    def wakeups(self):
        """Context switches of each thread, by thread name: what woke up while idle."""
        counts = {}
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return counts
        for tid in tids:
            try:
                with open(f"/proc/{self.pid}/task/{tid}/comm") as f:
                    name = f"{f.read().strip()}/{tid}"
                with open(f"/proc/{self.pid}/task/{tid}/status") as f:
                    switches = sum(int(line.split()[1]) for line in f if "ctxt_switches" in line)
            except OSError:
                continue
            counts[name] = switches
        return counts

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
