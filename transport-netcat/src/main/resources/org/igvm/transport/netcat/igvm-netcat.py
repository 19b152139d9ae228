#!/usr/bin/env python3
"""igvm's netcat copy: one volume from a source hypervisor to a target, over nc.

  send SOURCE [--connect HOST PORT] [--block N] [--bwlimit BYTES_PER_S] [--no-checksum]
  recv TARGET [--listen FIRST_PORT ATTEMPTS LOCK_DIR] [--zeroed] [--no-checksum]

The sender reads SOURCE in blocks (skipping holes with SEEK_DATA/SEEK_HOLE and
all-zero blocks), frames each other block as (offset, length, data) and pipes
the stream into `nc -N HOST PORT`. The receiver runs `nc -d -l -n -v -p PORT` (-n: no name lookups, a hypervisor may have no resolver) and
writes each record at its offset (its all-zero 4 KiB pages left out where the
target reads as zeros); a file target is truncated to the source's size first,
so what was not sent stays a hole; a block device target gets
zeros written where nothing was sent, unless --zeroed says it reads as zeros.
Without --connect / --listen the stream goes to stdout / comes from stdin.

Both sides hash the volume's logical content the same way: sha256 over the
per-block sha256 digests, with 32 zero bytes standing for an all-zero block.
Lines for igvm go to stderr, each starting with "igvm-netcat ":
  progress DONE TOTAL BYTES_PER_S WIRE   (sender, about once a second)
  port PORT                               (receiver, the port it listens on)
  sent SIZE WIRE SHA256|-                 (sender, at the end)
  received SIZE WRITTEN SHA256|-          (receiver, after fsync)
  error MESSAGE                           (exit status 1; 75: no free port)
"""
import argparse
import ctypes
import errno
import fcntl
import hashlib
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import time

MAGIC = b"IGVMNC1\n"
PR_SET_PDEATHSIG = 1
M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3
HEADER = struct.Struct(">QI")  # offset (or size), length (or block size)
ZERO_DIGEST = bytes(32)
PAGE = 4096
ZERO_PAGE = bytes(PAGE)


class CopyError(Exception):
    pass


def say(*words):
    print("igvm-netcat", *words, file=sys.stderr, flush=True)


class VolumeHash:
    def __init__(self, size, block, enabled):
        self.h = hashlib.sha256(HEADER.pack(size, block)) if enabled else None

    def block(self, data):
        if self.h is not None:
            self.h.update(ZERO_DIGEST if data is None else hashlib.sha256(data).digest())

    def hexdigest(self):
        return "-" if self.h is None else self.h.hexdigest()


def is_zero(data, zeros):
    return data == zeros[: len(data)]


def write_sparsely(fd, data, offset):
    """Writes the block's non-zero pages only, so that its zero pages stay holes in a file."""
    if ZERO_PAGE not in data:  # the common case, checked in C
        return os.pwrite(fd, data, offset)
    written, run = 0, None  # run: the start of the current stretch of non-zero pages
    for at in range(0, len(data) + PAGE, PAGE):
        zero = at >= len(data) or data[at : at + PAGE] == ZERO_PAGE[: len(data) - at]
        if zero and run is not None:
            written += os.pwrite(fd, data[run:at], offset + run)
            run = None
        elif not zero and run is None:
            run = at
    return written


def data_ranges(fd, size):
    """Yields (start, end) of the regions that may hold data, holes left out."""
    pos = 0
    while pos < size:
        try:
            start = os.lseek(fd, pos, os.SEEK_DATA)
            end = min(os.lseek(fd, start, os.SEEK_HOLE), size)
        except OSError as e:
            if e.errno == errno.ENXIO:  # only a hole from pos on
                return
            yield pos, size  # no SEEK_DATA here (or a block device): read it all
            return
        yield start, end
        pos = end


def read_fully(fd, offset, length):
    data = os.pread(fd, length, offset)
    while len(data) < length:
        more = os.pread(fd, length - len(data), offset + len(data))
        if not more:
            raise CopyError(f"the source ended at {offset + len(data)} while reading")
        data += more
    return data


def send(args):
    fd = os.open(args.source, os.O_RDONLY)
    size = os.lseek(fd, 0, os.SEEK_END)
    block = args.block
    nc = None
    out = sys.stdout.buffer
    if args.connect:
        nc = subprocess.Popen(
            ["nc", "-N", args.connect[0], args.connect[1]], stdin=subprocess.PIPE, preexec_fn=die_with_parent
        )
        out = nc.stdin
        widen_pipe(out)
    digest = VolumeHash(size, block, not args.no_checksum)
    zeros = bytes(block)
    started = last = time.monotonic()
    last_done = wire = 0

    def emit(chunk):
        nonlocal wire
        out.write(chunk)
        wire += len(chunk)
        if args.bwlimit:
            ahead = wire / args.bwlimit - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)

    try:
        emit(MAGIC + HEADER.pack(size, block))
        pos = 0
        for start, end in data_ranges(fd, size):
            first = start // block * block
            for _ in range(pos, first, block):  # blocks wholly in a hole
                digest.block(None)
            for offset in range(max(first, pos), end, block):
                data = read_fully(fd, offset, min(block, size - offset))
                if is_zero(data, zeros):
                    digest.block(None)
                else:
                    digest.block(data)
                    emit(HEADER.pack(offset, len(data)))
                    emit(data)
                pos = offset + block
                now = time.monotonic()
                if now - last >= 1:
                    done = min(pos, size)
                    say("progress", done, size, int((done - last_done) / (now - last)), wire)
                    last, last_done = now, done
        for _ in range(pos, size, block):
            digest.block(None)
        emit(HEADER.pack(size, 0))
        out.flush()
        if nc is not None:
            nc.stdin.close()
            if nc.wait() != 0:
                raise CopyError(f"nc -N {args.connect[0]} {args.connect[1]} failed with exit {nc.returncode}")
    except BrokenPipeError:
        status = nc.wait() if nc is not None else "?"
        raise CopyError(f"the connection to the receiver ended early (nc exit {status})")
    elapsed = max(time.monotonic() - started, 1e-9)
    say("progress", size, size, int(size / elapsed), wire)
    say("sent", size, wire, digest.hexdigest())


def widen_pipe(stream):
    """A 1 MiB pipe to or from nc instead of 64 KiB: a block crosses it in one go, not in 16
    wake-ups of each side (the copy is CPU-bound when both hypervisors share a machine)."""
    try:
        fcntl.fcntl(stream.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ
    except OSError:
        pass  # above /proc/sys/fs/pipe-max-size: the default size works, only slower


def die_with_parent():
    """In the nc child: SIGKILL when this program dies, even by SIGKILL (no orphaned listener)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the process group kill still reaches nc


def claim_port(first, attempts, lock_dir):
    """The first port from `first` that no other igvm claims and nothing listens on.

    nc -l sets SO_REUSEPORT, so a second nc -l on a busy port would succeed and
    share its connections: hence a lock per port, and a bind without SO_REUSEPORT
    to see any socket listening there. Returns (port, lock path, lock file), the
    lock held. A lock file is removed only by whoever holds its lock, so a lock
    taken on a file that was removed meanwhile is no claim: taken again.
    """
    for port in range(first, min(first + attempts, 65536)):
        path = os.path.join(lock_dir, f"igvm-netcat-{port}.lock")
        for _ in range(10):
            lock = open(path, "w")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                break
            try:
                same = os.stat(path).st_ino == os.fstat(lock.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                lock.close()
                continue
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("", port))
                return port, path, lock
            except OSError:
                release_port(path, lock)
                break
            finally:
                probe.close()
    raise CopyError(f"no free port in {first}..{first + attempts - 1}")


def release_port(path, lock):
    """Removes the lock file while still holding its lock, then lets go."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    lock.close()


def read_exactly(stream, length):
    data = stream.read(length)
    if len(data) != length:
        raise CopyError("the stream ended early: the sender stopped or the connection dropped")
    return data


def recv(args):
    nc = None
    stream = sys.stdin.buffer
    if args.listen:
        first, attempts, lock_dir = args.listen
        port, lock_path, lock = claim_port(int(first), int(attempts), lock_dir)
        try:
            say("port", port)
            nc = subprocess.Popen(
                ["nc", "-d", "-l", "-n", "-v", "-p", str(port)], stdout=subprocess.PIPE, preexec_fn=die_with_parent
            )
            widen_pipe(nc.stdout)
            receive(args, nc.stdout)
            nc.stdout.close()
            nc.wait()
        finally:
            if nc is not None and nc.poll() is None:
                nc.kill()
            release_port(lock_path, lock)
    else:
        receive(args, stream)


def receive(args, stream):
    if read_exactly(stream, len(MAGIC)) != MAGIC:
        raise CopyError("the stream does not start with igvm-netcat's header")
    size, block = HEADER.unpack(read_exactly(stream, HEADER.size))
    fd = os.open(args.target, os.O_WRONLY)
    device = stat.S_ISBLK(os.fstat(fd).st_mode)
    if device:
        capacity = os.lseek(fd, 0, os.SEEK_END)
        if capacity < size:
            raise CopyError(f"{args.target} holds {capacity} bytes, the source {size}")
    else:
        os.ftruncate(fd, 0)  # what is not sent stays a hole
        os.ftruncate(fd, size)
    digest = VolumeHash(size, block, not args.no_checksum)
    zeros = bytes(block)
    written = 0

    def skip(start, end):
        nonlocal written
        for offset in range(start, end, block):
            digest.block(None)
            if device and not args.zeroed:
                written += os.pwrite(fd, zeros[: min(block, end - offset)], offset)

    expected = 0
    while True:
        offset, length = HEADER.unpack(read_exactly(stream, HEADER.size))
        if length == 0 and offset == size:
            break
        if offset % block or offset < expected or length != min(block, size - offset):
            raise CopyError(f"a malformed record at offset {offset}, length {length}")
        data = read_exactly(stream, length)
        if args.flip_byte_at is not None and offset <= args.flip_byte_at < offset + length:
            at = args.flip_byte_at - offset  # for tests only: a corrupted copy
            data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
        skip(expected, offset)
        digest.block(None if is_zero(data, zeros) else data)
        if device and not args.zeroed:
            written += os.pwrite(fd, data, offset)
        else:
            written += write_sparsely(fd, data, offset)
        expected = offset + block
    skip(expected, size)
    os.fsync(fd)
    os.close(fd)
    say("received", size, written, digest.hexdigest())


def reuse_freed_blocks():
    """Keeps glibc from mapping and unmapping every 1 MiB block: the page faults and zeroing of
    a fresh mapping per block cost more than the copy itself (6.2 s against 2.8 s for 1 GiB)."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, 256 << 20)
        libc.mallopt(M_TRIM_THRESHOLD, 512 << 20)
    except (OSError, AttributeError):
        pass  # not glibc: slower, not wrong


def main():
    reuse_freed_blocks()
    parser = argparse.ArgumentParser(prog="igvm-netcat")
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("send")
    s.add_argument("source")
    s.add_argument("--connect", nargs=2, metavar=("HOST", "PORT"))
    s.add_argument("--block", type=int, default=1 << 20)
    s.add_argument("--bwlimit", type=int, default=0)
    s.add_argument("--no-checksum", action="store_true")
    r = sub.add_parser("recv")
    r.add_argument("target")
    r.add_argument("--listen", nargs=3, metavar=("FIRST_PORT", "ATTEMPTS", "LOCK_DIR"))
    r.add_argument("--zeroed", action="store_true")
    r.add_argument("--no-checksum", action="store_true")
    r.add_argument("--flip-byte-at", type=int)
    args = parser.parse_args()
    try:
        send(args) if args.mode == "send" else recv(args)
    except CopyError as e:
        say("error", e)
        sys.exit(75 if str(e).startswith("no free port") else 1)
    except OSError as e:
        say("error", e)
        sys.exit(1)


if __name__ == "__main__":
    main()
