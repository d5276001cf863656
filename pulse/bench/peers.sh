#!/usr/bin/env bash
# pulse measured with the project's peers harness (the namespace lab, client loop and analysis that
# measured keepalived), through its `--driver pulse`.
#
#   pulse/bench/peers.sh failover  [peers-failover options]   e.g. --scenarios kill,linkdown --adverts 1,0.1 --runs 10
#   pulse/bench/peers.sh footprint [peers-footprint options]  e.g. --adverts 1,0.1 --duration 60
#   pulse/bench/peers.sh soak ADVERT SECONDS                  false failovers of an idle pair (keepalive
#                                                             ADVERT, deadtime 3 x ADVERT) in SECONDS
#
# PEERS         the harness directory (default /work/shared/peers)
# PULSE_WARM=0|1  appends lvsd_warm_standby = 0 (Piranha's cold standby) or 1; unset: the key's default (1)
# PULSE_GC_LOG=DIR  write each pulse JVM's GC log (-Xlog:gc) to DIR (see gc-pauses.sh)
#
# pulse runs from this checkout's compiled classes with bin/pulse's JVM options; lvsd is the
# benchmark stand-in piranha.pulse.bench.ForwardingLvsd (readiness contract plus a TCP forwarder
# VIP:80 -> real servers) until the real lvsd exists. Needs root, iproute2, curl, python3.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers=${PEERS:-/work/shared/peers}
[[ $EUID -eq 0 ]] || { echo "must run as root" >&2; exit 1; }
what=${1:?usage: peers.sh failover|footprint [options]}; shift
case $what in failover|footprint|soak) ;; *) echo "usage: peers.sh failover|footprint|soak [options]" >&2; exit 2 ;; esac

cpfile=$root/pulse/target/bench.classpath
# (with -am every module writes the file in turn; pulse comes last)
(cd "$root" && ./mvnw -q -B -o -pl pulse -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null)
java=${JAVA:-java}

home=$(mktemp -d /tmp/pulse-bench.XXXXXX)
trap '[[ -n ${PULSE_BENCH_KEEP:-} ]] || rm -rf "$home"' EXIT
mkdir -p "$home/bin"
# a snapshot of the compiled classes, so a rebuild during a long run does not change what runs
cp -r "$root/pulse/target/classes" "$home/classes"
cp -r "$root/pulse/target/test-classes" "$home/test-classes"
cp="$home/test-classes:$home/classes:$(cat "$cpfile")"
gc=""
[[ -n ${PULSE_GC_LOG:-} ]] && { mkdir -p "$PULSE_GC_LOG"; gc="-Xlog:gc:file=$PULSE_GC_LOG/gc-%p.log"; }
cat >"$home/bin/pulse" <<EOF2
#!/usr/bin/env bash
# one pulse per director namespace: its sockets are named after the namespace
ns=\$(ip netns identify \$\$ 2>/dev/null || true); ns=\${ns:-root}
args=("\$@")
if [[ -n \${PULSE_WARM:-} ]]; then
  for i in "\${!args[@]}"; do
    if [[ \${args[\$i]} == -c ]]; then
      cf=$home/\$ns.lvs.cf; cp "\${args[\$((i+1))]}" "\$cf"; echo "lvsd_warm_standby = \$PULSE_WARM" >>"\$cf"; args[\$((i+1))]=\$cf
    fi
  done
fi
exec $java -Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k $gc -cp "$cp" piranha.pulse.PulseMain \\
  "\${args[@]}" --lvsd=$home/bin/lvsd --control-socket $home/\$ns-pulse.sock --lvsd-control-socket $home/\$ns-lvsd.sock
EOF2
cat >"$home/bin/lvsd" <<EOF2
#!/usr/bin/env bash
exec $java -Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$cp" piranha.pulse.bench.ForwardingLvsd "\$@"
EOF2
chmod 755 "$home/bin/pulse" "$home/bin/lvsd"

export PULSE_HOME=$home PULSE_WARM=${PULSE_WARM:-}
export PEERS_PREFIX=${PEERS_PREFIX:-pls-}
export PEERS_RUN=$home/run
export PEERS_RESULTS=${PEERS_RESULTS:-$root/pulse/target/bench-results}
mkdir -p "$PEERS_RESULTS"
echo "pulse bench: $what, warm=${PULSE_WARM:-default}, results in $PEERS_RESULTS" >&2
if [[ $what != soak ]]; then
  "$peers/peers-$what" --driver pulse "$@"
  exit
fi

adv=${1:?soak ADVERT SECONDS}; secs=${2:?soak ADVERT SECONDS}
# shellcheck source=/dev/null
source "$peers/lib.sh"
# shellcheck source=/dev/null
source "$peers/drivers/pulse.sh"
was_up=0; have_ns "$(ns dir1)" && was_up=1
"$peers/netlab" up >/dev/null
finish() { drv_stop dir1 || true; drv_stop dir2 || true; ((was_up)) || "$peers/netlab" down >/dev/null; rm -rf "$home"; }
trap finish EXIT
drv_start dir1 primary "$adv"
drv_wait_state dir1 master 30 || die "dir1 never became active"
drv_start dir2 backup "$adv"
drv_wait_state dir2 backup 30 || die "dir2 never became standby"
sleep 2
start=$(now_s)
sleep "$secs"
out=$PEERS_RESULTS/soak-$adv-$(date +%Y%m%d-%H%M%S); mkdir -p "$out"
cp "$PEERS_RUN"/ha-dir*.log "$out"/
count() { awk -v a="$start" -v pat="$2" '$1+0 >= a+0 && $0 ~ pat' "$PEERS_RUN/ha-$1.log" | wc -l; }
printf 'keepalive %s deadtime %s, %s s idle: dir2 activations %s, dir1 deactivations %s, late heartbeats dir1 %s dir2 %s\n' \
  "$adv" "$(awk -v a="$adv" 'BEGIN{printf "%g", 3*a}')" "$secs" \
  "$(count dir2 'activating lvs')" "$(count dir1 'deactivating LVS')" \
  "$(count dir1 'sent late')" "$(count dir2 'sent late')" | tee "$out/summary.txt"
