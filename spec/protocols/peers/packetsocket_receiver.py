#!/usr/bin/env python3
"""A packetsocket receiver (stdlib only) that reads the way the original library does, so that
rxsocket's pacing is tested against the original's weaknesses rather than against a receiver
that frames properly.

The original polls: every update (a typical loop updates every 1 ms) it makes ONE non-blocking
recv() of up to 131072 bytes and assumes that the chunk either starts a packet or continues the
packet in progress:
  - a chunk that starts with the magic starts a packet (a packet still in progress is lost);
  - a chunk that starts with the magic but is shorter than the 8-byte prefix is an error;
  - any other chunk continues the packet in progress (without one, it is an error);
  - once the packet has its declared length, it is delivered; when a chunk carries more than
    the packet needs (the next packet started in the same read), the packet is lost, and so is
    the next one, whose beginning went with it.

  packetsocket_receiver.py connect PORT COUNT [IDLE_MS]
      connect to 127.0.0.1:PORT and receive COUNT packets
  packetsocket_receiver.py listen COUNT [IDLE_MS]
      listen on 127.0.0.1 (a free port, printed first as "port N"), accept one client, receive
      COUNT packets

Output, one line each: "packet SIZE CRC32 at=NS" for a delivered packet (CRC-32 of the body in
hex, and when it was complete, in CLOCK_MONOTONIC nanoseconds: Node's process.hrtime reads the
same clock, so a sender can tell how long the receiver took),
"lost REASON" or "error REASON" for what the original would lose, then "done DELIVERED/COUNT
updates=N" when COUNT packets arrived, the peer closed, or nothing arrived for IDLE_MS (default
3000) ms.
"""
import socket
import struct
import sys
import time
import zlib

MAGIC = b"#!?&"
RECV_BYTES = 131072
UPDATE_S = 0.001


def say(line):
    print(line, flush=True)


class Receiver:
    """The original's receive state: the packet in progress, if any."""

    def __init__(self):
        self.expected = None  # declared body length of the packet in progress
        self.parts = []
        self.have = 0
        self.delivered = 0

    def take(self, chunk):
        if chunk[:4] == MAGIC:
            if self.expected is not None:
                say("lost a new packet started before %d/%d bytes arrived" % (self.have, self.expected))
                self.expected = None
            if len(chunk) < 8:
                say("error a read of %d bytes started mid-header" % len(chunk))
                return
            self.expected = struct.unpack("<I", chunk[4:8])[0]
            self.parts = [chunk[8:]]
            self.have = len(chunk) - 8
        elif self.expected is None:
            say("error a read of %d bytes starts no packet" % len(chunk))
            return
        else:
            self.parts.append(chunk)
            self.have += len(chunk)
        if self.have == self.expected:
            body = b"".join(self.parts)
            self.delivered += 1
            say("packet %d %08x at=%d" % (len(body), zlib.crc32(body), time.monotonic_ns()))
            self.expected = None
        elif self.have > self.expected:
            say("lost two packets in one read (%d bytes for a packet of %d)" % (self.have, self.expected))
            self.expected = None


def receive(sock, count, idle_ms):
    sock.setblocking(False)
    receiver = Receiver()
    updates = 0
    last = time.monotonic()
    while receiver.delivered < count:
        updates += 1
        try:
            chunk = sock.recv(RECV_BYTES)
        except BlockingIOError:
            chunk = None
        if chunk == b"":
            break
        if chunk:
            last = time.monotonic()
            receiver.take(chunk)
        elif (time.monotonic() - last) * 1000 > idle_ms:
            break
        time.sleep(UPDATE_S)
    say("done %d/%d updates=%d" % (receiver.delivered, count, updates))


def main(argv):
    mode = argv[0]
    if mode == "connect":
        port, count = int(argv[1]), int(argv[2])
        idle_ms = int(argv[3]) if len(argv) > 3 else 3000
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            receive(sock, count, idle_ms)
    elif mode == "listen":
        count = int(argv[1])
        idle_ms = int(argv[2]) if len(argv) > 2 else 3000
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            server.settimeout(10)
            say("port %d" % server.getsockname()[1])
            sock, _ = server.accept()
            with sock:
                receive(sock, count, idle_ms)
    else:
        raise SystemExit("usage: packetsocket_receiver.py connect PORT COUNT [IDLE_MS] | listen COUNT [IDLE_MS]")


if __name__ == "__main__":
    main(sys.argv[1:])
