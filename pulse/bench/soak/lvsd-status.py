#!/usr/bin/env python3
"""Asks an lvsd for its status on its control socket ({"cmd":"status"}, one JSON line each way) and
prints one line: "servers N up U checks C failures F restarts R" over every real server.
With --ready it asks {"cmd":"wait-ready"} instead (the answer comes once lvsd is ready) and exits 0
on {"ready":true}.
Usage: lvsd-status.py [--ready] SOCKET [TIMEOUT_S]"""
import json
import socket
import sys
import time

args = sys.argv[1:]
ready = args[:1] == ["--ready"]
if ready:
    args = args[1:]
path = args[0]
timeout = float(args[1]) if len(args) > 1 else 20
deadline = time.monotonic() + timeout


def ask(cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(max(1.0, deadline - time.monotonic()))
    s.connect(path)
    s.sendall(json.dumps({"cmd": cmd}).encode() + b"\n")
    buf = bytearray()
    for _ in range(1_000_000):  # bounded: at most that many reads
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        buf += chunk
        if buf.endswith(b"\n"):
            break
    s.close()
    if not buf:
        sys.exit(f"{path}: connection closed without an answer")
    return json.loads(buf.decode())


if ready:
    # lvsd answers wait-ready once ready, or an error after its own reply timeout (60 s): ask again
    for _ in range(100):
        st = ask("wait-ready")
        if st.get("ready") is True:
            sys.exit(0)
        if "no answer within" not in str(st.get("error")) or time.monotonic() > deadline:
            sys.exit(f"lvsd not ready: {st}")
    sys.exit(f"lvsd not ready: {st}")
st = ask("status")
n = up = checks = failures = restarts = 0
for svc in st.get("services", []):
    for rs in svc.get("servers", []):
        n += 1
        up += rs.get("health") == "up"
        checks += rs.get("checks") or 0
        failures += rs.get("check_failures") or 0
        restarts += rs.get("nanny_restarts") or 0
print(f"servers {n} up {up} checks {checks} failures {failures} restarts {restarts}")
