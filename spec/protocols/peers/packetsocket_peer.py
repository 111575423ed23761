#!/usr/bin/env python3
"""An independent packetsocket peer (stdlib only) with the original receiver's assumption that
each recv() returns exactly one packet (it checks that, and reports any read holding more or
less than one whole packet).

  packetsocket_peer.py PORT COUNT TEXT...  connect, send each TEXT as a packet (all in one sendall,
                                           coalesced, to test the server), then read COUNT packets,
                                           one per recv(), printing each body or "BAD READ"
"""
import socket
import struct
import sys


def packet(body):
    return b"#!?&" + struct.pack("<I", len(body)) + body


def main(port, count, texts):
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as sock:
        sock.sendall(b"".join(packet(t.encode("utf-8")) for t in texts))
        for _ in range(int(count)):
            chunk = sock.recv(65536)
            if chunk[:4] != b"#!?&" or struct.unpack("<I", chunk[4:8])[0] != len(chunk) - 8:
                print("BAD READ %r" % chunk, flush=True)
            else:
                print(chunk[8:].decode("utf-8"), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
