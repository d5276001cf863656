#!/usr/bin/env python3
"""Sends one JSON request to lvsd's control socket and prints the reply, or the value of a
Python expression over it (the reply is `r`).
Usage: ctl.py SOCKET REQUEST_JSON [EXPRESSION]"""
import json
import socket
import sys

s = socket.socket(socket.AF_UNIX)
s.settimeout(300)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    d = s.recv(65536)
    if not d:
        break
    buf += d
r = json.loads(buf.decode())
print(eval(sys.argv[3]) if len(sys.argv) > 3 else json.dumps(r))
