#!/usr/bin/env python3
"""An independent jsocket peer (stdlib only), written from the wire format alone.

  jsocket_peer.py client GEN PORT JSON...   send each value, print each reply as a JSON line
  jsocket_peer.py server GEN                serve one client at a time, reply {"echo": value}
                                            (nothing for null); prints "port N" first
GEN is v1 (u32 BE length), legacy (u32 LE length) or v2 (JSN1, u32 BE length, u32 BE CRC-32).
"""
import json
import socket
import struct
import sys
import zlib


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("socket connection broken")
        data += chunk
    return data


def send(sock, gen, value):
    payload = json.dumps(value, ensure_ascii=False).encode("utf-8")
    if gen == "v1":
        header = struct.pack(">I", len(payload))
    elif gen == "legacy":
        header = struct.pack("<I", len(payload))
    else:
        header = b"JSN1" + struct.pack(">II", len(payload), zlib.crc32(payload) & 0xFFFFFFFF)
    sock.sendall(header + payload)


def receive(sock, gen):
    if gen == "v2":
        magic = recv_exact(sock, 4)
        if magic != b"JSN1":
            raise ValueError("bad magic %r" % magic)
        length, crc = struct.unpack(">II", recv_exact(sock, 8))
        payload = recv_exact(sock, length)
        if zlib.crc32(payload) & 0xFFFFFFFF != crc:
            raise ValueError("crc mismatch")
    else:
        (length,) = struct.unpack(">I" if gen == "v1" else "<I", recv_exact(sock, 4))
        payload = recv_exact(sock, length)
    return json.loads(payload.decode("utf-8"))


def client(gen, port, values):
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as sock:
        for text in values:
            send(sock, gen, json.loads(text))
            print(json.dumps(receive(sock, gen), ensure_ascii=False), flush=True)


def server(gen):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    print("port %d" % listener.getsockname()[1], flush=True)
    while True:
        sock, _ = listener.accept()
        with sock:
            try:
                while True:
                    value = receive(sock, gen)
                    if value is not None:
                        send(sock, gen, {"echo": value})
            except (ConnectionError, ValueError):
                pass


if __name__ == "__main__":
    if sys.argv[1] == "client":
        client(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        server(sys.argv[2])
