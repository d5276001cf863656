#!/usr/bin/env python3
"""The real servers of `peers.sh soak --nannies N`: one TCP listener on 0.0.0.0:PORT in a director's
namespace that accepts (and closes) every connection, so N loopback addresses 127.1.x.y answer the
nannies' connect checks. Prints "EPOCH accepted TOTAL" every 10 s; ends by itself after DEADLINE_S
(SIGALRM). Usage: listener.py PORT DEADLINE_S"""
import signal
import socket
import sys
import threading
import time

port, deadline = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(4096)
n = 0


def report():
    for _ in range(deadline // 10 + 1):  # bounded by the deadline
        time.sleep(10)
        print(f"{time.time():.3f} accepted {n}", flush=True)


signal.signal(signal.SIGALRM, lambda *_: sys.exit(0))
signal.alarm(deadline)
threading.Thread(target=report, daemon=True).start()
print(f"{time.time():.3f} listening on 0.0.0.0:{port}", flush=True)
accept = s.accept
while True:  # ends with SIGALRM (the deadline) or SIGTERM
    try:
        c, _ = accept()
        c.close()
        n += 1
    except OSError:
        pass
