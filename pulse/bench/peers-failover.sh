#!/usr/bin/env bash
# Client-visible failover of pulse, measured with the project's peers harness (the same namespace lab,
# client loop and analysis that measured keepalived), through its `--driver pulse`.
#
#   pulse/bench/peers-failover.sh [peers-failover options]    e.g. --scenarios kill,linkdown --adverts 1,0.1 --runs 10
#
# PEERS         the harness directory (default /work/shared/peers)
# PULSE_WARM=1  run lvsd on the standby too (extension lvsd_warm_standby = 1)
#
# pulse runs from this checkout's compiled classes; lvsd is the benchmark stand-in
# piranha.pulse.bench.ForwardingLvsd (readiness contract plus a TCP forwarder VIP:80 -> real servers),
# until the real lvsd exists. Needs root, iproute2, curl, python3 (the harness's real servers).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers=${PEERS:-/work/shared/peers}
[[ $EUID -eq 0 ]] || { echo "must run as root" >&2; exit 1; }

cpfile=$root/pulse/target/bench.classpath
# (with -am every module writes the file in turn; pulse comes last)
(cd "$root" && ./mvnw -q -B -o -pl pulse -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null)
cp="$root/pulse/target/test-classes:$root/pulse/target/classes:$(cat "$cpfile")"
java=${JAVA:-java}

home=$(mktemp -d /tmp/pulse-bench.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/bin"
cat >"$home/bin/pulse" <<EOF2
#!/usr/bin/env bash
# one pulse per director namespace: its sockets are named after the namespace
ns=\$(ip netns identify \$\$ 2>/dev/null || true); ns=\${ns:-root}
args=("\$@")
if [[ \${PULSE_WARM:-0} == 1 ]]; then
  for i in "\${!args[@]}"; do
    if [[ \${args[\$i]} == -c ]]; then
      cf=$home/\$ns.lvs.cf; cp "\${args[\$((i+1))]}" "\$cf"; echo "lvsd_warm_standby = 1" >>"\$cf"; args[\$((i+1))]=\$cf
    fi
  done
fi
exec $java -Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -cp "$cp" piranha.pulse.PulseMain \\
  "\${args[@]}" --lvsd=$home/bin/lvsd --control-socket $home/\$ns-pulse.sock --lvsd-control-socket $home/\$ns-lvsd.sock
EOF2
cat >"$home/bin/lvsd" <<EOF2
#!/usr/bin/env bash
exec $java -Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$cp" piranha.pulse.bench.ForwardingLvsd "\$@"
EOF2
chmod 755 "$home/bin/pulse" "$home/bin/lvsd"

export PULSE_HOME=$home PULSE_WARM=${PULSE_WARM:-0}
export PEERS_PREFIX=${PEERS_PREFIX:-pls-}
export PEERS_RUN=$home/run
export PEERS_RESULTS=${PEERS_RESULTS:-$root/pulse/target/bench-results}
mkdir -p "$PEERS_RESULTS"
echo "pulse bench: warm=$PULSE_WARM, results in $PEERS_RESULTS" >&2
"$peers/peers-failover" --driver pulse "$@"
