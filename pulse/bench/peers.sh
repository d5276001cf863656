#!/usr/bin/env bash
# pulse measured with the project's peers harness (the namespace lab, client loop and analysis that
# measured keepalived), through its `--driver pulse`.
#
#   pulse/bench/peers.sh failover  [peers-failover options]   e.g. --scenarios kill,linkdown --adverts 1,0.1 --runs 10
#   pulse/bench/peers.sh footprint [peers-footprint options]  e.g. --adverts 1,0.1 --duration 60
#   pulse/bench/peers.sh soak ADVERT SECONDS [soak options]   false failovers of an idle pair (keepalive
#                                                             ADVERT) in SECONDS (whole seconds)
# soak options:
#   --deadtime S        deadtime (default 3 x ADVERT, the driver's)
#   --loss PCT          drop PCT % (0-100) of the heartbeat datagrams arriving at each director, both
#                       directions, every path, for the whole soak: nftables in the director namespaces
#                       (table inet pulse_soak, `udp dport <heartbeat_port> numgen random mod 100 < PCT
#                       drop` on input; this kernel has no netem); named counters give the drop rate
#   --private           a private heartbeat path: a veth pair hbp0 between the directors, 203.0.113.11
#                       and .12/24, as primary_private / backup_private (the driver has no such key; the
#                       lvs.cf copy below gets them); removed at the end
#   --nannies N         lvsd is the real lvsd of this checkout (launcher bin/lvsd, user-space plane:
#                       the driver's backend = userspace) instead of the stand-in, and the lvs.cf gets
#                       N real servers 127.1.x.y:8081 more, 250 to a virtual service (VIP:8100, 8101, ...),
#                       checked by connect (check = tcp) every --nanny-interval seconds (default 5; reentry
#                       two intervals): N nannies in each director's lvsd (the standby's too: warm
#                       standby), answered by one listener (soak/listener.py) per director namespace;
#                       lvsd_ready_timeout = 180.
#                       LVSD_JAVA_OPTS: more JVM options for lvsd (after bin/piranha-launch's defaults);
#                       lvsd's open-file limit is raised to 65536 (or the hard limit), its log goes to a
#                       file (lvsd-<namespace>.log.gz in the results), not through pulse
#   --busy              two CPU burners (`nice -n 10` busy loops, bounded to SECONDS + 120 s) in the root
#                       namespace for the whole soak, started and stopped by pid
#   --driver NAME       pulse (default) or keepalived: the same soak of keepalived's VRRP (advert_int
#                       ADVERT, its own dead interval: 3 x ADVERT + skew), for a side-by-side figure;
#                       not with --deadtime, --loss, --private or --nannies (pulse's keys)
# With cyclictest (Debian: rt-tests) on the PATH, a real-time probe (SCHED_FIFO 90, one thread per CPU,
# 1 ms period) runs through the soak and the summary gives its longest wake-up: how long the machine
# itself kept a thread above every daemon's priority from running (a VM's vCPU descheduled, say).
# The summary (also summary.txt) states keepalive, deadtime, loss, nannies, seconds, the false
# failovers (dir2 activations, dir1 deactivations), late heartbeats (log lines and pulse's own count),
# the drop rate measured by the nft counters, the load average during the soak (sampled every 10 s)
# and, with --nannies, the checks per second seen by lvsd and the listeners and lvsd's CPU and memory.
#
# PEERS         the harness directory (default /work/shared/peers)
# PULSE_WARM=0|1  adds lvsd_warm_standby = 0 (Piranha's cold standby) or 1; unset: the key's default (1)
# PULSE_GC_LOG=DIR  write each pulse JVM's GC log (-Xlog:gc) to DIR (see gc-pauses.sh); with
#                 soak --nannies also each lvsd's (gc-lvsd-PID.log)
#
# pulse runs from this checkout's compiled classes with bin/pulse's JVM options; lvsd is the
# benchmark stand-in piranha.pulse.bench.ForwardingLvsd (readiness contract plus a TCP forwarder
# VIP:80 -> real servers), except with soak --nannies (the real lvsd, see above). The lvs.cf the
# driver writes is copied per director with this script's changes (PULSE_WARM, --deadtime,
# --private, --nannies); pulse and its lvsd read the copy. Needs root, iproute2, curl, python3
# (and nft for --loss).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers=${PEERS:-/work/shared/peers}
[[ $EUID -eq 0 ]] || { echo "must run as root" >&2; exit 1; }
what=${1:?usage: peers.sh failover|footprint|soak [options]}; shift
case $what in failover|footprint|soak) ;; *) echo "usage: peers.sh failover|footprint|soak [options]" >&2; exit 2 ;; esac

soak_usage() {
  echo "usage: peers.sh soak ADVERT SECONDS [--deadtime S] [--loss PCT] [--private] [--nannies N [--nanny-interval S]] [--busy] [--driver pulse|keepalived]" >&2
  exit 2
}
dead="" loss="" private=0 nannies=0 nint=5 busy=0 driver=pulse
if [[ $what == soak ]]; then
  (($# >= 2)) || soak_usage
  adv=$1 secs=$2; shift 2
  while (($#)); do   # every branch shifts or exits
    case $1 in
      --deadtime) (($# >= 2)) || soak_usage; dead=$2; shift 2 ;;
      --loss) (($# >= 2)) || soak_usage; loss=$2; shift 2 ;;
      --private) private=1; shift ;;
      --nannies) (($# >= 2)) || soak_usage; nannies=$2; shift 2 ;;
      --nanny-interval) (($# >= 2)) || soak_usage; nint=$2; shift 2 ;;
      --busy) busy=1; shift ;;
      --driver) (($# >= 2)) || soak_usage; driver=$2; shift 2 ;;
      *) soak_usage ;;
    esac
  done
  [[ $secs =~ ^[0-9]+$ ]] || soak_usage
  [[ -z $loss || ($loss =~ ^[0-9]+$ && $loss -le 100) ]] || { echo "--loss: a whole percentage 0-100" >&2; exit 2; }
  [[ $nannies =~ ^[0-9]+$ && $nannies -le 62500 ]] || { echo "--nannies: 0-62500" >&2; exit 2; }
  [[ $nint =~ ^[0-9]+$ && $nint -ge 1 ]] || { echo "--nanny-interval: whole seconds >= 1" >&2; exit 2; }
  case $driver in
    pulse) ;;
    keepalived)
      [[ -z $dead && -z $loss && $private == 0 && $nannies == 0 ]] \
        || { echo "--driver keepalived: no --deadtime, --loss, --private or --nannies (pulse's keys)" >&2; exit 2; }
      command -v keepalived >/dev/null || { echo "--driver keepalived needs keepalived" >&2; exit 2; } ;;
    *) soak_usage ;;
  esac
  [[ -n $dead ]] || dead=$(awk -v a="$adv" 'BEGIN{printf "%g", 3*a}')
  if [[ -n $loss ]] && ! command -v nft >/dev/null; then echo "--loss needs nft (nftables)" >&2; exit 2; fi
fi

cpfile=$root/pulse/target/bench.classpath
# (with -am every module writes the file in turn; pulse comes last)
(cd "$root" && ./mvnw -q -B -o -pl pulse -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null)
if ((nannies)); then
  (cd "$root" && ./mvnw -q -B -o -pl lvsd -am package -DskipTests >/dev/null)
fi
java=${JAVA:-java}

home=$(mktemp -d /tmp/pulse-bench.XXXXXX)
trap '[[ -n ${PULSE_BENCH_KEEP:-} ]] || rm -rf "$home"' EXIT
mkdir -p "$home/bin"
# a snapshot of the compiled classes, so a rebuild during a long run does not change what runs
cp -r "$root/pulse/target/classes" "$home/classes"
cp -r "$root/pulse/target/test-classes" "$home/test-classes"
cp="$home/test-classes:$home/classes:$(cat "$cpfile")"
gc=""
[[ -n ${PULSE_GC_LOG:-} ]] && { mkdir -p "$PULSE_GC_LOG"; gc="-Xlog:gc,safepoint:file=$PULSE_GC_LOG/gc-%p.log"; }
{
  printf 'java=%q\ncp=%q\ngc=%q\nhome=%q\ndead=%q\n' "$java" "$cp" "$gc" "$home" "$dead"
} >"$home/bench.env"
cat >"$home/bin/pulse" <<'EOF2'
#!/usr/bin/env bash
# one pulse per director namespace: its sockets are named after the namespace
source "$(dirname "$0")/../bench.env"
ns=$(ip netns identify $$ 2>/dev/null || true); ns=${ns:-root}
args=("$@")
# pulse (and the lvsd it starts) read a copy of the harness's lvs.cf with the bench's changes:
# deadtime replaced, global lines (lvsd_warm_standby, soak.globals) before the first virtual
# block, soak.virtual appended
if [[ -n ${PULSE_WARM:-} || -n $dead || -e $home/soak.globals || -e $home/soak.virtual ]]; then
  for i in "${!args[@]}"; do
    if [[ ${args[$i]} == -c ]]; then
      cf=$home/$ns.lvs.cf
      awk -v dead="$dead" -v warm="${PULSE_WARM:-}" -v gfile="$home/soak.globals" -v vfile="$home/soak.virtual" '
        function cat(f,   l) { while ((getline l < f) > 0) print l; close(f) }
        function globals() { if (warm != "") print "lvsd_warm_standby = " warm; cat(gfile); done = 1 }
        dead != "" && /^deadtime[ \t]*=/ { print "deadtime = " dead; next }
        !done && /^virtual[ \t]/ { globals() }
        { print }
        END { if (!done) globals(); cat(vfile) }' "${args[$((i+1))]}" >"$cf"
      args[$((i+1))]=$cf
    fi
  done
fi
# shellcheck disable=SC2086 # gc is one option or none
exec "$java" -Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k $gc -cp "$cp" piranha.pulse.PulseMain \
  "${args[@]}" --lvsd="$home/bin/lvsd" --control-socket "$home/$ns-pulse.sock" --lvsd-control-socket "$home/$ns-lvsd.sock"
EOF2
if ((nannies)); then
  # the real lvsd through the checkout's launcher, from a snapshot of its jar and libraries
  mkdir -p "$home/lvsd-root/bin" "$home/lvsd-root/lvsd/target"
  cp "$root/bin/piranha-launch" "$root/bin/lvsd" "$home/lvsd-root/bin/"
  cp -r "$root/lvsd/target/lvsd.jar" "$root/lvsd/target/lib" "$home/lvsd-root/lvsd/target/"
  if [[ -d $root/lvsd/target/cds ]]; then cp -r "$root/lvsd/target/cds" "$home/lvsd-root/lvsd/target/"; fi
  lvsd_opts=${LVSD_JAVA_OPTS:-}
  if [[ -n ${PULSE_GC_LOG:-} ]]; then lvsd_opts+=" -Xlog:gc:file=$PULSE_GC_LOG/gc-lvsd-%p.log"; fi
  cat >"$home/bin/lvsd" <<EOF2
#!/usr/bin/env bash
# each nanny holds at most one socket at a time
ulimit -n 65536 2>/dev/null || ulimit -n "\$(ulimit -Hn)"
# lvsd's log to a file of its own (as syslog would take it without -n): N nannies log three lines
# each at start, too many for pulse's output capture and the harness's line stamper
ns=\$(ip netns identify \$\$ 2>/dev/null || true)
exec >>$(printf %q "$home/run")/lvsd-\${ns:-root}.log 2>&1
export JAVA=$(printf %q "$java") JAVA_OPTS=$(printf %q "$lvsd_opts")
exec $(printf %q "$home/lvsd-root/bin/lvsd") "\$@"
EOF2
else
  cat >"$home/bin/lvsd" <<EOF2
#!/usr/bin/env bash
exec $(printf %q "$java") -Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $(printf %q "$cp") piranha.pulse.bench.ForwardingLvsd "\$@"
EOF2
fi
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

# shellcheck source=/dev/null
source "$peers/lib.sh"
# shellcheck source=/dev/null
source "$peers/drivers/$driver.sh"
d1=$(ns dir1) d2=$(ns dir2)
# each driver's log lines for "the backup took over" and "the primary stood down"
if [[ $driver == keepalived ]]; then
  act_pat='Entering MASTER STATE' deact_pat='Entering BACKUP STATE'
else
  act_pat='(^|[^eE])[Aa]ctivating (lvs|LVS)' deact_pat='[Dd]eactivating (lvs|LVS)'
fi
nft_table=pulse_soak
vport=8100 lport=8081
burners=()
was_up=0; have_ns "$d1" && was_up=1

finish() {
  local rc=$? p n
  set +e
  if ((rc)) && [[ -d $PEERS_RUN ]]; then  # keep the logs of a soak that failed
    p=$PEERS_RESULTS/soak-failed-$(date +%Y%m%d-%H%M%S); mkdir -p "$p"; cp "$PEERS_RUN"/*.log "$home"/*.lvs.cf "$p"/ 2>/dev/null
    echo "logs of the failed soak: $p" >&2
  fi
  for p in "${burners[@]}"; do pid_alive "$p" && kill "$p"; done
  [[ -n ${probe:-} ]] && pid_alive "$probe" && kill "$probe"
  drv_stop dir1; drv_stop dir2
  for n in dir1 dir2; do stop_named "nl-$n" TERM; done
  if have_ns "$d1"; then
    ip netns exec "$d1" nft delete table inet "$nft_table" 2>/dev/null
    ip -n "$d1" link del hbp0 2>/dev/null
  fi
  have_ns "$d2" && ip netns exec "$d2" nft delete table inet "$nft_table" 2>/dev/null
  ((was_up)) || "$peers/netlab" down >/dev/null 2>&1
  [[ -n ${PULSE_BENCH_KEEP:-} ]] || rm -rf "$home"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM
"$peers/netlab" up >/dev/null

if ((private)); then
  ip -n "$d1" link del hbp0 2>/dev/null || true
  ip -n "$d1" link add hbp0 type veth peer name hbp0 netns "$d2"
  ip -n "$d1" addr add 203.0.113.11/24 dev hbp0
  ip -n "$d2" addr add 203.0.113.12/24 dev hbp0
  ip -n "$d1" link set hbp0 up
  ip -n "$d2" link set hbp0 up
  printf 'primary_private = 203.0.113.11\nbackup_private = 203.0.113.12\n' >"$home/soak.globals"
fi

if ((nannies)); then
  # more virtual services on the VIP, ports vport, vport + 1, ...: N real servers 127.1.x.y:lport,
  # 250 to a service, connect checks
  awk -v n="$nannies" -v vip="$VIP" -v dev="$LAN_IF:1" -v vport="$vport" -v lport="$lport" -v t="$nint" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (i % 250 == 0) {
        if (i) print "}"
        printf "virtual soak_nannies%d {\n", i / 250
        print "     active = 1"; print "     address = " vip " " dev; print "     vip_nmask = 255.255.255.0"
        print "     port = " vport + i / 250; print "     scheduler = rr"; print "     protocol = tcp"
        print "     check = tcp"; print "     timeout = " t; print "     reentry = " 2 * t
      }
      printf "     server n%d {\n         address = 127.1.%d.%d\n         port = %d\n         active = 1\n         weight = 1\n     }\n", i + 1, int(i / 250), i % 250 + 1, lport
    }
    print "}"
  }' >"$home/soak.virtual"
  # 10,000 nannies' first round on a loaded machine takes longer than the 30 s default
  echo "lvsd_ready_timeout = 180" >>"$home/soak.globals"
  for n in dir1 dir2; do
    spawn_named "nl-$n" "$n" "$PEERS_RUN/nl-$n.log" python3 "$root/pulse/bench/soak/listener.py" "$lport" "$((secs + 900))"
  done
fi

wait_s=30; if ((nannies)); then wait_s=180; fi
lvsd_ready() {  # with --nannies: the node's lvsd answers wait-ready with ready
  local sock; sock=$home/$(ns "$1")-lvsd.sock
  ((nannies)) || return 0
  wait_for "$wait_s" test -S "$sock" || die "no lvsd control socket in $1 ($sock)"
  python3 "$root/pulse/bench/soak/lvsd-status.py" --ready "$sock" "$wait_s" || die "lvsd in $1 is not ready"
}
drv_start dir1 primary "$adv"
drv_wait_state dir1 master "$wait_s" || die "dir1 never became active"
lvsd_ready dir1
drv_start dir2 backup "$adv"
drv_wait_state dir2 backup "$wait_s" || die "dir2 never became standby"
lvsd_ready dir2   # the standby's lvsd (warm standby) with its nannies
settle=2
# with nannies: a few rounds of checks behind both lvsd
if ((nannies)); then settle=$((3 * nint + 5)); fi
sleep "$settle"

if [[ -n $loss ]]; then
  # the heartbeat port of the lvs.cf the driver wrote (539)
  hb_port=$(awk -F' *= *' '$1 == "heartbeat_port" {print $2; exit}' "$PEERS_RUN/ha-dir1.lvs.cf")
  [[ $hb_port =~ ^[0-9]+$ ]] || die "no heartbeat_port in $PEERS_RUN/ha-dir1.lvs.cf"
  for n in "$d1" "$d2"; do
    ip netns exec "$n" nft -f - <<EOF2
table inet $nft_table {
  counter hb_seen { }
  counter hb_dropped { }
  chain input {
    type filter hook input priority -10; policy accept;
    udp dport $hb_port counter name hb_seen
    udp dport $hb_port numgen random mod 100 < $loss counter name hb_dropped drop
  }
}
EOF2
  done
fi
nft_packets() { ip netns exec "$1" nft list counter inet "$nft_table" "$2" | awk '{for (i = 1; i < NF; i++) if ($i == "packets") {print $(i+1); exit}}'; }

# CPU ticks (utime + stime) and the pids of pulse and lvsd (the JVMs) per director
jvm_pid() {  # node, main class
  local p
  for p in $(drv_pids "$1"); do
    if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "$2"; then echo "$p"; return 0; fi
  done
  return 0
}
# ticks PID...: their sum (keepalived's parent and VRRP child), empty if any is gone
ticks() {
  local p t=0
  (($#)) || { echo ""; return; }
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || { echo ""; return; }
    t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat")))
  done
  echo "$t"
}
declare -A pid0 tick0 status0
for n in dir1 dir2; do
  if [[ $driver == keepalived ]]; then
    pid0[p$n]=$(drv_pids "$n" | tr '\n' ' ')
  else
    pid0[p$n]=$(jvm_pid "$n" piranha.pulse.PulseMain)
  fi
  if ((nannies)); then
    pid0[l$n]=$(jvm_pid "$n" piranha.lvsd.LvsdMain)
    status0[$n]=$(python3 "$root/pulse/bench/soak/lvsd-status.py" "$home/$(ns "$n")-lvsd.sock" 60 || echo "?")
  fi
done
# shellcheck disable=SC2086 # a list of pids
for k in "${!pid0[@]}"; do tick0[$k]=$(ticks ${pid0[$k]}); done

if ((busy)); then
  for k in 1 2; do
    # shellcheck disable=SC2016 # the loop is the burner's own script
    nice -n 10 bash -c 'end=$((SECONDS + $1)); while ((SECONDS < end)); do :; done' burn "$((secs + 120))" &
    burners+=($!)
  done
fi

probe=""
if command -v cyclictest >/dev/null; then
  cyclictest -m -q -p 90 -t 2 -a -i 1000 -D "$secs" >"$home/cyclictest.txt" 2>&1 &
  probe=$!
fi
start=$(now_s)
loadlog=$home/load.log
for ((t = 0; t < secs; t += 10)); do
  cut -d' ' -f1 /proc/loadavg >>"$loadlog"
  sleep "$((secs - t < 10 ? secs - t : 10))"
done
cut -d' ' -f1 /proc/loadavg >>"$loadlog"
end=$(now_s)
for p in "${burners[@]}"; do if pid_alive "$p"; then kill "$p"; fi; done
burners=()

if [[ -n $probe ]]; then wait "$probe" || true; fi
tag=$adv-$dead
if [[ $driver != pulse ]]; then tag=$driver-$adv; fi
if [[ -n $loss ]]; then tag+=-loss$loss; fi
if ((nannies)); then tag+=-n$nannies; fi
if ((busy)); then tag+=-busy; fi
out=$PEERS_RESULTS/soak-$tag-$(date +%Y%m%d-%H%M%S); mkdir -p "$out"
cp "$PEERS_RUN"/ha-dir*.log "$PEERS_RUN"/ha-dir*.lvs.cf "$out"/ 2>/dev/null || true
cp "$home"/*.lvs.cf "$out"/ 2>/dev/null || true
cp "$loadlog" "$out"/
if ((nannies)); then cp "$PEERS_RUN"/nl-dir*.log "$out"/; gzip -c "$PEERS_RUN/lvsd-$d1.log" >"$out/lvsd-$d1.log.gz"; gzip -c "$PEERS_RUN/lvsd-$d2.log" >"$out/lvsd-$d2.log.gz"; fi

count() { awk -v a="$start" -v b="$end" -v pat="$2" '$1+0 >= a+0 && $1+0 <= b+0 && $0 ~ pat' "$PEERS_RUN/ha-$1.log" | wc -l; }
# pulse's own running counts in its log lines ("... N late so far)", "... N times so far)"): the last
# one in the window minus the last one before it
so_far() { # dir words
  awk -v a="$start" -v b="$end" -v pat="[0-9]+ $2 so far" 'match($0, pat) { v = substr($0, RSTART, RLENGTH) + 0
    if ($1 + 0 < a + 0) before = v; else if ($1 + 0 <= b + 0) last = v }
    END { print (last == "" ? 0 : last - before) }' "$PEERS_RUN/ha-$1.log"
}
# the largest N of the "PREFIX N ms" lines in the window
max_ms() { # dir prefix
  awk -v a="$start" -v b="$end" -v pre="$2 " '$1+0 >= a+0 && $1+0 <= b+0 && match($0, pre "[0-9]+ ms") {
    v = substr($0, RSTART + length(pre), RLENGTH - length(pre) - 3) + 0; if (v > m) m = v } END { print m + 0 }' "$PEERS_RUN/ha-$1.log"
}
drops="none"
if [[ -n $loss ]]; then
  s1=$(nft_packets "$d1" hb_seen) x1=$(nft_packets "$d1" hb_dropped)
  s2=$(nft_packets "$d2" hb_seen) x2=$(nft_packets "$d2" hb_dropped)
  drops=$(awk -v s1="$s1" -v x1="$x1" -v s2="$s2" -v x2="$x2" 'BEGIN {
    printf "%d/%d = %.2f %% (at dir1 %d/%d, at dir2 %d/%d)", x1 + x2, s1 + s2, (s1 + s2) ? 100 * (x1 + x2) / (s1 + s2) : 0, x1, s1, x2, s2 }')
fi
load=$(sort -g "$loadlog" | awk '{a[NR] = $1} END {printf "%s-%s (median %s)", a[1], a[NR], a[int((NR + 1) / 2)]}')
cpu() {  # key: CPU % of one core over the window
  # shellcheck disable=SC2086 # a list of pids
  local t1; t1=$(ticks ${pid0[$1]:-})
  [[ -n $t1 && -n ${tick0[$1]} ]] || { echo "?"; return; }
  awk -v t0="${tick0[$1]}" -v t1="$t1" -v hz="$(getconf CLK_TCK)" -v s="$(awk -v a="$start" -v b="$end" 'BEGIN{print b - a}')" \
    'BEGIN {printf "%.1f %%", 100 * (t1 - t0) / hz / s}'
}
# failovers while the pair and its lvsd started, before the soak (not counted as false failovers)
setup=$(awk -v a="$start" -v pat="$act_pat" '$1+0 < a+0 && $0 ~ pat' "$PEERS_RUN/ha-dir2.log" | wc -l)
machine="no cyclictest (Debian: rt-tests)"
if [[ -n $probe ]]; then
  cp "$home/cyclictest.txt" "$out"/
  machine=$(awk '/Max:/ { for (i = 1; i < NF; i++) if ($i == "Max:") { printf "%s%.1f", sep, $(i+1) / 1000; sep = " / " } }
    END { print " ms (SCHED_FIFO 90 probe, longest wake-up per CPU)" }' "$home/cyclictest.txt")
fi
printf -v summary 'soak keepalive %s deadtime %s loss %s %% nannies %s seconds %s: false failovers: dir2 activations %s, dir1 deactivations %s; late heartbeats dir1 %s (%s logged, max %s ms) dir2 %s (%s logged, max %s ms); heartbeats dropped %s; load %s%s%s' \
  "$adv" "$( [[ $driver == keepalived ]] && echo "3 x advert + skew" || echo "$dead")" "${loss:-0}" "$nannies" "$secs" \
  "$(count dir2 "$act_pat")" "$(count dir1 "$deact_pat")" \
  "$(so_far dir1 late)" "$(count dir1 'sent late')" "$(max_ms dir1 'sent late by')" \
  "$(so_far dir2 late)" "$(count dir2 'sent late')" "$(max_ms dir2 'sent late by')" \
  "$drops" "$load" "$( ((busy)) && echo ', busy: 2 burners at nice 10')" "$( ((private)) && echo ', private heartbeat path')"
summary+="; dir2 activations during start-up (before the soak): $setup; driver $driver; machine stalls: $machine"
if [[ $driver == pulse ]]; then
  summary+="; heartbeat thread held up (logged max): dir1 $(so_far dir1 times) ($(max_ms dir1 'held up') ms), dir2 $(so_far dir2 times) ($(max_ms dir2 'held up') ms)"
  summary+="; understudy sends (longest past the heartbeat thread's last send, logged): dir1 $(so_far dir1 sent) ($(max_ms dir1 'thread is') ms), dir2 $(so_far dir2 sent) ($(max_ms dir2 'thread is') ms)"
fi
{
  echo "$summary"
  echo "$driver CPU over the soak: dir1 $(cpu pdir1), dir2 $(cpu pdir2)"
  if ((nannies)); then
    for n in dir1 dir2; do
      st1=$(python3 "$root/pulse/bench/soak/lvsd-status.py" "$home/$(ns "$n")-lvsd.sock" 60 || echo "?")
      rss=$(awk '/^VmRSS|^VmHWM/ {printf "%s%s %d MB", sep, $1, $2 / 1024; sep = ", "}' "/proc/${pid0[l$n]:-0}/status" 2>/dev/null)
      acc=$(awk -v a="$start" -v b="$end" '$2 == "accepted" && $1+0 >= a+0 && $1+0 <= b+0 { if (t0 == "") { t0 = $1; n0 = $3 } t1 = $1; n1 = $3 }
        END { if (t1 > t0) printf "%.0f/s", (n1 - n0) / (t1 - t0); else print "?" }' "$PEERS_RUN/nl-$n.log")
      echo "lvsd $n (pid ${pid0[l$n]:-?}): CPU $(cpu l$n) over the soak, ${rss:-RSS ?}; before: ${status0[$n]}; after: $st1; listener accepts $acc"
    done
  fi
} | tee "$out/summary.txt"
echo "raw output: $out" >&2
