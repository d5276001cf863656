#!/bin/bash
# Runs on the host before a guest boot: writes kvmtest/target/MODULE.jsa, a class-data-sharing
# archive of the classes lvsd or pulse loads while it starts, works and stops. Under TCG the
# guest spends most of a JVM's start-up loading and verifying classes; with the archive it maps
# them instead. The archive is only valid for the exact class path, which is why the guest runs
# the daemons from the same checkout path with the class path this script prints
# (kvmtest/guest/suite.sh does).
#   kvmtest/cds.sh lvsd|pulse [--classpath]     --classpath: only print the class path
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODULE=${1:-}
case $MODULE in
    lvsd) MAIN=piranha.lvsd.LvsdMain ;;
    pulse) MAIN=piranha.pulse.PulseMain ;;
    *) echo "usage: kvmtest/cds.sh lvsd|pulse [--classpath]" >&2; exit 2 ;;
esac
CP="$ROOT/$MODULE/target/$MODULE.jar:$(ls "$ROOT/$MODULE"/target/lib/*.jar | LC_ALL=C sort | paste -sd:)"
if [ "${2:-}" = --classpath ]; then echo "$CP"; exit 0; fi
JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
OUT=$ROOT/kvmtest/target/$MODULE.jsa
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$(dirname "$OUT")"
ctl() { python3 "$ROOT/kvmtest/guest/ctl.py" "$@"; }
# The same kinds of services as the guest's lab, on loopback with nothing listening (checks fail
# with "connection refused"), and /bin/true as ipvsadm: nothing leaves this machine.
cat > "$W/lvs.cf" <<CF
primary = 127.0.0.1
backup = 127.0.0.2
backup_active = 1
heartbeat_port = 20539
keepalive = 0.2
deadtime = 1
backend = ipvsadm
ipvsadm = /bin/true
network = nat
nat_router = 127.0.0.3 lo:3
syncdaemon = 1
syncd_iface = lo
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
JVM=("$JAVA" -XX:ArchiveClassesAtExit="$OUT" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" "$MAIN")
if [ "$MODULE" = lvsd ]; then
    "${JVM[@]}" -n -c "$W/lvs.cf" --backend=ipvsadm --control-socket "$W/lvsd.sock" > "$W/out.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do [ -S "$W/lvsd.sock" ] && break; sleep 0.1; done
    ctl "$W/lvsd.sock" '{"cmd":"wait-ready"}' > /dev/null
    ctl "$W/lvsd.sock" '{"cmd":"status"}' > /dev/null
    sleep 2
    ctl "$W/lvsd.sock" '{"cmd":"reload"}' > /dev/null || true
else
    # -t: pulse logs what it would run and runs nothing (no addresses, no lvsd); alone, the
    # primary declares its partner dead and activates, which loads the activation's classes
    "${JVM[@]}" -n -t -c "$W/lvs.cf" --control-socket "$W/pulse.sock" > "$W/out.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do [ -S "$W/pulse.sock" ] && break; sleep 0.1; done
    for _ in $(seq 100); do
        [ "$(ctl "$W/pulse.sock" '{"cmd":"status"}' 'r.get("state")' 2>/dev/null)" = active ] && break
        sleep 0.1
    done
    sleep 1
fi
kill -TERM $pid
wait $pid || { cat "$W/out.log" >&2; exit 1; }
[ -s "$OUT" ] || { echo "cds: no archive written" >&2; cat "$W/out.log" >&2; exit 1; }
echo "cds: $OUT ($(du -h "$OUT" | cut -f1))"
