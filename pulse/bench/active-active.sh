#!/usr/bin/env bash
# Active-active directors behind an ECMP router, in network namespaces (root; BIRD 2, python3):
# a router running BIRD (merge paths, kernel protocol, fib_multipath_hash_policy = 1), N directors
# (default 3) each running pulse with director_mode = active_active, its lvsd (user-space data
# plane, scheduler sh), its BIRD and flow hand-over (director_peers: nftables), two real servers
# naming themselves and the director a request came through (the director in the headers at once, the
# body FLOW_HOLD_S later, default 0.4), and a client keeping 24 such flows open (one TCP connection
# each) from 40 source addresses.
#
# Scenarios, each with flows running: baseline; SIGTERM to one director's pulse; kill -9 of its pulse
# (BIRD follows: pdeathsig); kill -9 of pulse, lvsd and BIRD (the director dies, its kernel closes
# the BGP session); SIGSTOP of all three (a silent death: the router's hold timer expires). Prints
# one JSON line per scenario: flows, errors, directors used, per-source consistency, and the time
# from the signal to the last flow that reached the victim or failed ("traffic_moved_after_s").
#
# With --throughput SECONDS, instead of the scenarios: nginx as the two real servers, and after each
# director joins (1, then 2, ... N announcing), wrk from the client (-t2 -c50, a new connection per
# request, then keep-alive; WARMUP_S seconds of warm-up each, default 10) for SECONDS; one JSON line
# per measurement with the aggregate requests/s through the router.
#
# Usage: pulse/bench/active-active.sh [--check] [--directors N] [--keep] [--no-handover] [--throughput SECONDS]
#   --check  exit 1 unless the acceptance holds (all directors carry traffic, one real server per
#            source whichever director, no error on a flow of a director that stays, failures only
#            for flows open at a route change, traffic moved within keepalive for SIGTERM and
#            keepalive + hold time for the others)
#   --no-handover  without director_peers: shows the flows between the staying directors that the
#            router's ECMP moves, and which then fail (not with --check)
# Namespaces: aa-*-PID; addresses 198.51.100.0/24 (LAN), 203.0.113.0/25 (client), VIP 203.0.113.200.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/pulse/bench/active-active
check=0 n=3 keep=0 throughput=0 handover=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --check) check=1 ;;
    --directors) n=$2; shift ;;
    --keep) keep=1 ;;
    --throughput) throughput=$2; shift ;;
    --no-handover) handover=0 ;;
    *) echo "usage: $0 [--check] [--directors N] [--keep] [--no-handover] [--throughput SECONDS]" >&2; exit 2 ;;
  esac
  shift
done
[[ $(id -u) == 0 ]] || { echo "active-active: needs root (network namespaces)" >&2; exit 2; }
(( check && !handover )) && { echo "active-active: --check needs the flow hand-over" >&2; exit 2; }
for tool in bird birdc ip nft python3; do
  command -v $tool >/dev/null || { echo "active-active: $tool is missing (Debian: bird2, iproute2, nftables, python3)" >&2; exit 2; }
done
if (( throughput > 0 )); then
  for tool in nginx wrk; do
    command -v $tool >/dev/null || { echo "active-active: $tool is missing (Debian: nginx, wrk)" >&2; exit 2; }
  done
fi
[[ -f $root/pulse/target/pulse.jar && -f $root/lvsd/target/lvsd.jar ]] || {
  echo "active-active: build first: ./mvnw -q -pl pulse,lvsd -am package -DskipTests" >&2; exit 2; }
python=$(command -v python3)
s=$$
dir=$(mktemp -d /tmp/aa-lab.XXXXXX)
VIP=203.0.113.200 KEEPALIVE=1 HOLD=3 DEADTIME=2 FLOW_HOLD_S=${FLOW_HOLD_S:-0.4}
sw=aa-sw-$s r=aa-r-$s c=aa-c-$s rs=aa-rs-$s
ds=()
for i in $(seq 1 "$n"); do ds+=("aa-d$i-$s"); done
declare -A pulse_pid
failures=()

cleanup() {
  for ns in "${ds[@]}" "$r" "$rs" "$c" "$sw"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  done
  for ns in "${ds[@]}" "$r" "$rs" "$c" "$sw"; do ip netns del "$ns" 2>/dev/null || true; done
  if [[ $keep == 0 ]]; then rm -rf "$dir"; else echo "logs kept in $dir" >&2; fi
}
trap cleanup EXIT
trap "exit 143" TERM INT

mono() { "$python" -c 'import time; print("%.4f" % time.monotonic())'; }
ns_up() { ip netns add "$1"; ip -n "$1" link set lo up; }
attach() { # ns port address: a veth from the LAN bridge into ns, as lan0
  ip -n "$sw" link add "$2" type veth peer name lan0 netns "$1"
  ip -n "$sw" link set "$2" master br0 up
  ip -n "$1" link set lan0 up
  ip -n "$1" addr add "$3/24" dev lan0
}

network() {
  for ns in "$sw" "$r" "$c" "$rs" "${ds[@]}"; do ns_up "$ns"; done
  ip -n "$sw" link add br0 type bridge; ip -n "$sw" link set br0 up
  attach "$r" pr 198.51.100.1
  attach "$rs" ps 198.51.100.21
  ip -n "$rs" addr add 198.51.100.22/24 dev lan0
  for i in $(seq 1 "$n"); do
    attach "${ds[i-1]}" "p$i" "198.51.100.1$i"
    ip -n "${ds[i-1]}" route add default via 198.51.100.1
    count_handed "${ds[i-1]}"
  done
  ip -n "$r" link add cl0 type veth peer name cl0 netns "$c"
  ip -n "$r" link set cl0 up; ip -n "$c" link set cl0 up
  ip -n "$r" addr add 203.0.113.1/25 dev cl0
  for k in $(seq 2 41); do ip -n "$c" addr add "203.0.113.$k/25" dev cl0; done
  ip -n "$c" route add default via 203.0.113.1
  ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
}

router() {
  {
    echo "router id 198.51.100.1;"
    echo "protocol device {}"
    echo "protocol kernel { ipv4 { import none; export all; }; merge paths on; }"
    echo "template bgp director { local 198.51.100.1 as 64512; hold time $HOLD; keepalive time 1;"
    # error wait time: BIRD's default keeps a session that failed down for 60 s; a director whose
    # BIRD restarted would wait that long for its routes to return
    echo "  connect delay time 1; connect retry time 2; error wait time 1, 10; ipv4 { import all; export none; }; }"
    for i in $(seq 1 "$n"); do echo "protocol bgp d$i from director { neighbor 198.51.100.1$i as 64513; }"; done
  } > "$dir/router.conf"
  ip netns exec "$r" bird -c "$dir/router.conf" -s "$dir/router.ctl" -P "$dir/router.pid"
}

lvscf() { # i
  local peers=""
  if (( handover )); then # the directors' datagrams signed with the pair's key, as an operator would
    [[ -f $dir/peers.key ]] || { head -c 32 /dev/urandom | base64 > "$dir/peers.key"; chmod 600 "$dir/peers.key"; }
    peers="director_peers = [ $(for k in $(seq 1 "$n"); do printf '198.51.100.1%s ' "$k"; done)]
heartbeat_key_file = $dir/peers.key"
  fi
  cat > "$dir/d$1.cf" <<CF
serial_no = 1
director_mode = active_active
bgp_local_as = 64513
bgp_peer_as = 64512
bgp_neighbor = 198.51.100.1
bgp_hold_time = $HOLD
bird_config = $dir/d$1/bird.conf
bird_socket = $dir/d$1/bird.ctl
keepalive = $KEEPALIVE
deadtime = $DEADTIME
$peers
monitor_links = 1
lvsd_ready_timeout = 180
pulse_metrics = 127.0.0.1:9539
network = nat
backend = userspace
virtual web {
     active = 1
     address = $VIP lo
     port = 80
     send = "GET / HTTP/1.0\r\n\r\n"
     expect = "HTTP"
     scheduler = sh
     timeout = 3
     interval = 1
     fall = 2
     rise = 1
     server rs1 {
         address = 198.51.100.21
         active = 1
     }
     server rs2 {
         address = 198.51.100.22
         active = 1
     }
}
CF
}

start_director() { # i
  local i=$1
  ip netns exec "${ds[i-1]}" "$root/bin/pulse" -n -c "$dir/d$i.cf" --control-socket "$dir/d$i-pulse.sock" \
    --lvsd-control-socket "$dir/d$i-lvsd.sock" >> "$dir/d$i.log" 2>&1 &
  pulse_pid[$i]=$!
}

nexthops() { ip -n "$r" route show "$VIP" | grep -c "via 198.51.100.1" || true; }

await_routes() { # count timeout_s
  local deadline=$((SECONDS + $2))
  while (( $(nexthops) != $1 )); do
    (( SECONDS < deadline )) || { echo "router: $(nexthops) routes to $VIP after $2 s, wanted $1" >&2; ip -n "$r" route >&2; return 1; }
    sleep 0.2
  done
}

flows() { # name duration [kill_at signal pids...]
  local name=$1 duration=$2
  shift 2
  ip netns exec "$c" "$python" "$here/flows.py" run "$VIP" 80 "$(seq -s, -f '203.0.113.%g' 2 41)" "$duration" 24 \
    "$dir/$name.flows" "$@"
}

# packets the directors handed to each other, counted where they arrive (a TTL below 16: see
# FlowHandover) by a table of the lab's own (pulse's counters restart with each ring change)
count_handed() { # ns
  ip netns exec "$1" nft -f - <<NFT
table ip aa_lab_handed {
  chain in {
    type filter hook prerouting priority raw; policy accept;
    ip daddr $VIP ip ttl < 16 counter
  }
}
NFT
}
handed() {
  local ns total=0 k
  for ns in "${ds[@]}"; do
    k=$(ip netns exec "$ns" nft list table ip aa_lab_handed 2>/dev/null | awk '/counter/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }')
    total=$((total + ${k:-0}))
  done
  echo "$total"
}

report() { # name victim handed_before
  local json
  json=$("$python" "$here/flows.py" analyze "$dir/$1.flows" "$2" "$dir/routes.log" "$VIP")
  echo "{\"scenario\":\"$1\",\"directors_running\":$n,\"keepalive_s\":$KEEPALIVE,\"hold_time_s\":$HOLD,\"handover\":$handover,\"handed_packets\":$(( $(handed) - ${3:-0} )),\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$json}"
  LAST=$json
}

field() { "$python" -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2]))' "$LAST" "$1"; }
expect() { # description condition
  if ! "$python" -c "import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$LAST"; then
    failures+=("$1")
    echo "FAILED: $1" >&2
  fi
}

restore() { # i: the victim's remaining processes go, pulse starts again, all routes back
  for p in $(ip netns pids "${ds[$1-1]}"); do kill -CONT "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done
  sleep 0.5
  start_director "$1"
  await_routes "$n" 180
  sleep 2 # BIRD's session and lvsd's checks settle
}

# --throughput: nginx (one worker, as dataplane/bench/run) answers for both real servers
nginx_rs() {
  mkdir -p "$dir/nginx/tmp"
  cat > "$dir/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/tmp/body; proxy_temp_path $dir/nginx/tmp/proxy; fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi; scgi_temp_path $dir/nginx/tmp/scgi;
  keepalive_requests 10000000;
  server { listen 198.51.100.21:80 backlog=4096; location / { default_type text/plain; return 200 "rs1\n"; } }
  server { listen 198.51.100.22:80 backlog=4096; location / { default_type text/plain; return 200 "rs2\n"; } }
}
CONF
  ip netns exec "$rs" nginx -e "$dir/nginx/error.log" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" &
}

# packets through each director's port on the LAN bridge (both directions, client and real-server
# side): how the router's ECMP spread the load
port_packets() {
  local i out=()
  for i in $(seq 1 "$n"); do
    out+=($(( $(ip netns exec "$sw" cat "/sys/class/net/p$i/statistics/rx_packets" 2>/dev/null || echo 0) \
      + $(ip netns exec "$sw" cat "/sys/class/net/p$i/statistics/tx_packets" 2>/dev/null || echo 0) )))
  done
  echo "${out[*]}"
}

measure() { # directors mode: wrk from the client through the router to the VIP
  local hdr=() f=$dir/wrk-$1-$2.txt warmup=${WARMUP_S:-10} rps p50 p99 errs non2xx
  [[ $2 == close ]] && hdr=(-H "Connection: close")
  ip netns exec "$c" timeout $((warmup + 10)) wrk -t2 -c50 -d"${warmup}s" "${hdr[@]}" "http://$VIP/" >/dev/null 2>&1 || true
  local before after share=() i
  before=$(port_packets)
  ip netns exec "$c" timeout $((throughput + 30)) wrk -t2 -c50 -d"${throughput}s" --latency "${hdr[@]}" "http://$VIP/" > "$f" 2>&1 || true
  after=$(port_packets)
  read -ra b <<<"$before"; read -ra a <<<"$after"
  for i in "${!a[@]}"; do share+=($((a[i] - b[i]))); done
  rps=$(awk '/^Requests\/sec:/{print $2}' "$f")
  p50=$(awk '$1=="50%"{print $2}' "$f"); p99=$(awk '$1=="99%"{print $2}' "$f")
  errs=$(awk '/Socket errors:/{gsub(",",""); print $4+$6+$8+$10}' "$f")
  non2xx=$(awk '/Non-2xx/{print $NF}' "$f")
  echo "{\"figure\":\"throughput\",\"directors_announcing\":$(nexthops),\"mode\":\"$2\",\"requests_per_s\":${rps:-null},\"p50\":\"${p50:-}\",\"p99\":\"${p99:-}\",\"errors\":$(( ${errs:-0} + ${non2xx:-0} )),\"packets_per_director\":[$(IFS=,; echo "${share[*]}")],\"seconds\":$throughput,\"cores\":$(nproc),\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
}

network
router
if (( throughput > 0 )); then
  nginx_rs
  echo "# active-active throughput: up to $n directors, wrk -t2 -c50 for $throughput s per figure, $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in $(seq 1 "$n"); do
    mkdir -p "$dir/d$i"; lvscf "$i"; start_director "$i"; await_routes "$i" 240
    sleep 3 # BIRD's session and lvsd's checks settle
    for mode in close keepalive; do measure "$i" "$mode"; done
  done
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
ip netns exec "$rs" "$python" "$here/realserver.py" 198.51.100.21 80 rs1 "$FLOW_HOLD_S" &
ip netns exec "$rs" "$python" "$here/realserver.py" 198.51.100.22 80 rs2 "$FLOW_HOLD_S" &
# one after the other: JVMs starting together on a loaded machine take minutes
for i in $(seq 1 "$n"); do mkdir -p "$dir/d$i"; lvscf "$i"; start_director "$i"; await_routes "$i" 240; done
echo "# active-active lab: $n directors, keepalive $KEEPALIVE s, BGP hold time $HOLD s, $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
await_routes "$n" 240
ip -n "$r" -ts monitor route > "$dir/routes.log" &
sleep 3

flows baseline 6
report baseline none
expect "baseline: every director carries traffic" "len(r['directors']) == $n"
expect "baseline: no error" "r['errors'] == 0"
expect "baseline: one real server per source, whichever director" "not r['inconsistent_sources'] and r['sources_seen_through_several_directors'] > 0"

# Only flows open when the router's route changes (or open on the victim before its route goes)
# may fail: hash-threshold ECMP sends their packets to another director (the victim's, and about a
# sixth of the others' when one of three goes or comes back). With the flow hand-over the staying
# directors pass such packets along until the one holding the connection takes them: no flow of a
# staying director fails. Every other flow works; with SIGTERM no flow fails before the change.
moved_ok="r['errors_before_signal'] == 0 and r['errors_away_from_route_changes'] == 0"
survivors_ok="r['errors_on_survivors'] == 0"

h=$(handed)
flows sigterm 8 3 TERM "${pulse_pid[1]}"
report sigterm 198.51.100.11 "$h"
expect "sigterm: no error on a flow of a staying director" "$survivors_ok"
expect "SIGTERM: the router's route changed within keepalive" "r['route_changed_after_s'] is not None and r['route_changed_after_s'] <= $KEEPALIVE"
expect "SIGTERM: errors only for flows open at the route change" "$moved_ok"
expect "SIGTERM: consistent" "not r['inconsistent_sources']"
wait "${pulse_pid[1]}" || true
(( $(nexthops) == n - 1 )) || { failures+=("SIGTERM: route still there"); echo "FAILED: route of d1 still there" >&2; }
restore 1

h=$(handed)
flows kill9-pulse 8 3 KILL "${pulse_pid[1]}"
report kill9-pulse 198.51.100.11 "$h"
expect "kill9-pulse: no error on a flow of a staying director" "$survivors_ok"
expect "kill -9 pulse: the route changed within keepalive + hold time" "r['route_changed_after_s'] is not None and r['route_changed_after_s'] <= $KEEPALIVE + $HOLD"
expect "kill -9 pulse: no error away from the route changes" "$moved_ok"
restore 1

h=$(handed)
# shellcheck disable=SC2046 # one argument per PID
flows kill9-director 8 3 KILL $(ip netns pids "${ds[0]}")
report kill9-director 198.51.100.11 "$h"
expect "kill9-director: no error on a flow of a staying director" "$survivors_ok"
expect "kill -9 director: the route changed within keepalive + hold time" "r['route_changed_after_s'] is not None and r['route_changed_after_s'] <= $KEEPALIVE + $HOLD"
expect "kill -9 director: no error away from the route changes" "$moved_ok"
expect "kill -9 director: consistent" "not r['inconsistent_sources']"
restore 1

h=$(handed)
# shellcheck disable=SC2046 # one argument per PID
flows freeze-director 10 3 STOP $(ip netns pids "${ds[0]}")
report freeze-director 198.51.100.11 "$h"
expect "freeze-director: no error on a flow of a staying director" "$survivors_ok"
expect "frozen director: the route changed within keepalive + hold time" "r['route_changed_after_s'] is not None and r['route_changed_after_s'] <= $KEEPALIVE + $HOLD + 0.5"
expect "frozen director: no error away from the route changes" "$moved_ok"
expect "frozen director: consistent" "not r['inconsistent_sources']"
restore 1

# BIRD dies alone: its routes go with it, pulse says so and starts it again; the route returns.
bird_pid=$(pgrep -f "bird -f -c $dir/d1/bird.conf" | head -1)
h=$(handed)
flows bird-dies 8 3 KILL "$bird_pid"
report bird-dies 198.51.100.11 "$h"
expect "bird-dies: no error on a flow of a staying director" "$survivors_ok"
expect "BIRD killed: the route changed within keepalive + hold time" "r['route_changed_after_s'] is not None and r['route_changed_after_s'] <= $KEEPALIVE + $HOLD"
expect "BIRD killed: no error away from the route changes" "$moved_ok"
grep -q "bird (pid $bird_pid) was killed by signal 9: its routes went with it, no traffic comes to this director; restarting it in" "$dir/d1.log" \
  || { failures+=("BIRD killed: no status line"); echo "FAILED: no status line for BIRD's death in d1's log" >&2; }
t0=$SECONDS
await_routes "$n" 60 || failures+=("BIRD killed: the route did not come back")
echo "{\"figure\":\"bird-dies\",\"route_back_after_kill_s\":$((SECONDS - t0 + 5))}"

# d1 cannot reach its real servers: its checks fail and it withdraws the VIP; reachable again, it returns.
ip netns exec "${ds[0]}" nft -f - <<NFT
table inet aa_lab {
  chain out {
    type filter hook output priority 0;
    ip daddr { 198.51.100.21, 198.51.100.22 } tcp dport 80 drop;
  }
}
NFT
t0=$SECONDS
await_routes "$((n - 1))" 60 || failures+=("real servers unreachable from d1: not withdrawn")
grep -q "VIP $VIP withdrawn: virtual web: no real server up" "$dir/d1.log" \
  || failures+=("real servers unreachable from d1: no withdraw line")
echo "{\"figure\":\"real-servers-unreachable\",\"withdrawn_within_s\":$((SECONDS - t0))}"
# what an operator sees on d1: lvsadm and pulse's metrics say the route is withdrawn, and why
d1_lvsadm() { ip netns exec "${ds[0]}" "$root/bin/lvsadm" --pulse-socket "$dir/d1-pulse.sock" --lvsd-socket "$dir/d1-lvsd.sock"; }
d1_metrics() { ip netns exec "${ds[0]}" curl -s --max-time 5 http://127.0.0.1:9539/metrics; }
d1_lvsadm > "$dir/d1-lvsadm-withdrawn.txt" 2>&1 || true
grep -q "^Route:    $VIP withdrawn: virtual web: no real server up (web)$" "$dir/d1-lvsadm-withdrawn.txt" \
  || { failures+=("lvsadm on d1: no withdrawn route"); cat "$dir/d1-lvsadm-withdrawn.txt" >&2; }
d1_metrics > "$dir/d1-metrics-withdrawn.txt" || true
grep -q "^pulse_route_announced{vip=\"$VIP\"} 0.0$" "$dir/d1-metrics-withdrawn.txt" \
  || failures+=("metrics of d1: the withdrawn route is not 0")
ip netns exec "${ds[0]}" nft delete table inet aa_lab
await_routes "$n" 60 || failures+=("real servers reachable again from d1: not announced")
d1_lvsadm > "$dir/d1-lvsadm-announced.txt" 2>&1 || true
grep -q "^Route:    $VIP announced (web)$" "$dir/d1-lvsadm-announced.txt" && grep -q "^BIRD:     running, pid .*; BGP .* Established" "$dir/d1-lvsadm-announced.txt" \
  || { failures+=("lvsadm on d1: the route is not shown announced with BIRD's session"); cat "$dir/d1-lvsadm-announced.txt" >&2; }
d1_metrics > "$dir/d1-metrics-announced.txt" || true
grep -q "^pulse_route_announced{vip=\"$VIP\"} 1.0$" "$dir/d1-metrics-announced.txt" && grep -q "^pulse_bgp_session_up{.*} 1.0$" "$dir/d1-metrics-announced.txt" \
  && grep -q "^pulse_bird_restarts_total 1.0$" "$dir/d1-metrics-announced.txt" \
  || { failures+=("metrics of d1: the announced route, the session or BIRD's restart missing"); grep "^pulse_" "$dir/d1-metrics-announced.txt" >&2; }
if (( handover )); then # every director back: d1 hears the others, all on its hand-over ring
  others=() ring=()
  for i in $(seq 1 "$n"); do
    ring+=("198.51.100.$((10 + i))")
    (( i > 1 )) && others+=("198.51.100.$((10 + i)) live")
  done
  heard=$(printf '%s, ' "${others[@]}")
  peers_line="Peers:    ${heard%, }; flow hand-over ring ${ring[*]}"
  grep -qxF "$peers_line" "$dir/d1-lvsadm-announced.txt" \
    || { failures+=("lvsadm on d1: not '$peers_line'"); grep "^Peers" "$dir/d1-lvsadm-announced.txt" >&2; }
  grep -q "^pulse_director_peer_live{address=\"198.51.100.12\"} 1.0$" "$dir/d1-metrics-announced.txt" \
    && grep -q "^pulse_handover_ring_size $n.0$" "$dir/d1-metrics-announced.txt" \
    || failures+=("metrics of d1: the peers heard and the ring of $n")
fi

echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if (( check )) && (( ${#failures[@]} > 0 )); then
  printf 'FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
