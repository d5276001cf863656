#!/usr/bin/env python3
"""Long-lived TCP connections whose packets another director will carry: opens N connections to
HOST:PORT from source ports FIRST..FIRST+N-1, sends "before I" on each and records the real server
that answers (rs.py's echo mode), waits (at most 300 s) for the file GO, then sends "after I" on
each and records who answers within 8 s ("timeout", "reset" or "closed" otherwise).
Prints one line per connection: "I before=NAME after=NAME". Writes READY ("I before=NAME" lines)
once every "before" is in.
Usage: moveconns.py HOST PORT N FIRST GO READY"""
import os
import socket
import sys
import time

host, port, n, first, go, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
conns = []
for i in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", first + i))
    s.settimeout(20)
    s.connect((host, port))
    f = s.makefile("rwb")
    f.write(b"before %d\n" % i)
    f.flush()
    conns.append((s, f, f.readline().decode().split(" ")[0]))
with open(ready + ".tmp", "w") as r:
    for i, (_, _, before) in enumerate(conns):
        r.write("%d before=%s\n" % (i, before))
os.rename(ready + ".tmp", ready)
deadline = time.monotonic() + 300
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.2)
for i, (s, f, before) in enumerate(conns):
    s.settimeout(8)
    try:
        f.write(b"after %d\n" % i)
        f.flush()
        line = f.readline().decode()
        after = line.split(" ")[0] if line else "closed"
    except socket.timeout:
        after = "timeout"
    except OSError:
        after = "reset"
    print("%d before=%s after=%s" % (i, before, after), flush=True)
