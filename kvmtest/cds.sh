#!/bin/bash
# Runs on the host before a guest boot: writes kvmtest/target/lvsd.jsa, a class-data-sharing
# archive of the classes lvsd loads while it starts, checks and stops. Under TCG the guest spends
# most of lvsd's start-up loading and verifying classes; with the archive it maps them instead.
# The archive is only valid for the exact class path, which is why the guest runs lvsd from the
# same checkout path with the class path this script prints (kvmtest/guest/suite.sh does).
#   kvmtest/lvsd-cds.sh [--classpath]     --classpath: only print the class path
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CP="$ROOT/lvsd/target/lvsd.jar:$(ls "$ROOT"/lvsd/target/lib/*.jar | LC_ALL=C sort | paste -sd:)"
if [ "${1:-}" = --classpath ]; then echo "$CP"; exit 0; fi
JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
OUT=$ROOT/kvmtest/target/lvsd.jsa
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$(dirname "$OUT")"
# The same kinds of services as the guest's lab, on loopback with nothing listening (checks fail
# with "connection refused"), and /bin/true as ipvsadm: nothing leaves this machine.
cat > "$W/lvs.cf" <<CF
primary = 127.0.0.1
backend = ipvsadm
ipvsadm = /bin/true
network = nat
tcp_timeout = 1234
virtual web {
    active = 1
    address = 127.0.0.10 lo:1
    port = 80
    scheduler = wrr
    persistent = 120
    pmask = 255.255.255.0
    quiesce_server = 1
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = 1
    server a {
        address = 127.0.0.1
        port = 9
        active = 1
    }
}
virtual marked {
    active = 1
    address = 127.0.0.20 lo:2
    port = 80
    fwmark = 5
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = 1
    server a {
        address = 127.0.0.1
        port = 9
        active = 1
    }
}
CF
rm -f "$OUT"
"$JAVA" -XX:ArchiveClassesAtExit="$OUT" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" piranha.lvsd.LvsdMain \
    -n -c "$W/lvs.cf" --backend=ipvsadm --control-socket "$W/lvsd.sock" > "$W/lvsd.log" 2>&1 &
pid=$!
for _ in $(seq 600); do [ -S "$W/lvsd.sock" ] && break; sleep 0.1; done
python3 "$ROOT/kvmtest/guest/ctl.py" "$W/lvsd.sock" '{"cmd":"wait-ready"}' > /dev/null
python3 "$ROOT/kvmtest/guest/ctl.py" "$W/lvsd.sock" '{"cmd":"status"}' > /dev/null
sleep 2
python3 "$ROOT/kvmtest/guest/ctl.py" "$W/lvsd.sock" '{"cmd":"reload"}' > /dev/null || true
kill -TERM $pid
wait $pid || { cat "$W/lvsd.log" >&2; exit 1; }
[ -s "$OUT" ] || { echo "lvsd-cds: no archive written" >&2; cat "$W/lvsd.log" >&2; exit 1; }
echo "lvsd-cds: $OUT ($(du -h "$OUT" | cut -f1))"
