#!/usr/bin/env python3
"""Independent socket-oneline peers (stdlib only).

  oneline_peer.py client PORT HEXLINE...  connect, send "ping", expect "pong", then send each line
                                          (given as hex bytes, LF added) and print the reply line
  oneline_peer.py server                  a one-client-at-a-time server like the original: reads
                                          byte by byte; ping -> pong; records each line received;
                                          prints "port N" first and, per client, "client said: ..."
"""
import socket
import sys


def read_line(sock):
    data = b""
    while True:
        byte = sock.recv(1)
        if not byte:
            return None
        if byte == b"\n":
            return data
        data += byte


def client(port, hex_lines):
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as sock:
        sock.sendall(b"ping\n")
        assert read_line(sock) == b"pong"
        for hex_line in hex_lines:
            sock.sendall(bytes.fromhex(hex_line) + b"\n")
            print(read_line(sock).decode("utf-8"), flush=True)
        sock.sendall(b"disconnect\n")
        assert read_line(sock) is None  # the server closes without a reply


def server():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    print("port %d" % listener.getsockname()[1], flush=True)
    while True:
        sock, _ = listener.accept()
        lines = []
        with sock:
            while True:
                line = read_line(sock)
                if line is None:
                    break
                lines.append(line.decode("latin-1"))
                if line == b"ping":
                    sock.sendall(b"pong\n")
                elif line == b"disconnect":
                    break
                else:
                    sock.sendall(b"got " + line + b"\n")
        print("client said: " + "|".join(lines), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "client":
        client(sys.argv[2], sys.argv[3:])
    else:
        server()
