#!/usr/bin/env python3
"""One long-lived TCP connection: sends "before", prints the answer, waits (at most 300 s) for
the file GO to exist, sends "after" on the same connection, prints the answer.
Usage: longconn.py HOST PORT GO"""
import os
import socket
import sys
import time

s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
f = s.makefile("rwb")
f.write(b"before\n")
f.flush()
print(f.readline().decode().strip(), flush=True)
deadline = time.monotonic() + 300
while not os.path.exists(sys.argv[3]) and time.monotonic() < deadline:
    time.sleep(0.2)
f.write(b"after\n")
f.flush()
print(f.readline().decode().strip(), flush=True)
