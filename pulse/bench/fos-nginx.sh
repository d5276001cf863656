#!/usr/bin/env bash
# Failover services against keepalived's vrrp_script: nginx killed on the active director, the time
# until the client gets the backup's page. Same namespace lab (the peers harness's netlab), same
# client loop (a request every 20 ms, curl --max-time 0.2), one system after the other.
#
#   pulse/bench/fos-nginx.sh [--runs N] [--timings "1:3 0.1:0.3"] [--systems "pulse keepalived"]
#
# pulse: service = fos, one failover block whose start_cmd runs nginx (in the foreground, its own
#   prefix), checked with send/expect on the VIP every timeout = 1 s, fall 1; keepalive:deadtime as given.
# keepalived: nginx running on both directors, a vrrp_script (curl of 127.0.0.1 in the director's
#   namespace, interval 1, timeout 1, fall 1, rise 1) tracked by the VRRP instance; advert_int =
#   keepalive (VRRPv3 below 1 s). The check interval is 1 s for both: the same detection budget.
# Each run starts both daemons afresh, waits, kills nginx's processes on dir1 with SIGKILL at a random
# phase of the check interval (t0), and reads the client log: switch = end of the first answer from
# dir2 after t0. Prints min / median / max per system and timing; raw data in $PEERS_RESULTS.
# PEERS (default /work/shared/peers), PEERS_PREFIX (default fo2b-). Needs root, iproute2, curl, nginx, keepalived.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers=${PEERS:-/work/shared/peers}
[[ $EUID -eq 0 ]] || { echo "must run as root" >&2; exit 1; }
runs=10 timings="1:3 0.1:0.3" systems="pulse keepalived"
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --timings) timings=$2; shift 2 ;;
    --systems) systems=$2; shift 2 ;;
    *) echo "usage: fos-nginx.sh [--runs N] [--timings \"1:3 0.1:0.3\"] [--systems \"pulse keepalived\"]" >&2; exit 2 ;;
  esac
done

cpfile=$root/pulse/target/bench.classpath
(cd "$root" && ./mvnw -q -B -o -pl pulse -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null)
home=$(mktemp -d /tmp/fos-bench.XXXXXX)
cp -r "$root/pulse/target/classes" "$home/classes" # a snapshot: a rebuild meanwhile does not change what runs
cp="$home/classes:$(cat "$cpfile")"
java=${JAVA:-java}

export PEERS_PREFIX=${PEERS_PREFIX:-fo2b-}
export PEERS_RUN=$home/run
export PEERS_RESULTS=${PEERS_RESULTS:-$root/pulse/target/bench-results}
# shellcheck source=/dev/null
source "$peers/lib.sh"
PEERS_DIR=$peers
out=$PEERS_RESULTS/fos-nginx-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out" "$PEERS_RUN"
was_up=0; have_ns "$(ns dir1)" && was_up=1

stop_all() {
  local n
  for n in dir1 dir2; do
    stop_ts "ha-$n" TERM
    stop_named "ngx-$n" TERM
    vip_del "$n"
  done
  stop_named client TERM
}
finish() {
  stop_all || true
  ((was_up)) || "$peers/netlab" down >/dev/null 2>&1 || true
  [[ -n ${FOS_BENCH_KEEP:-} ]] || rm -rf "$home"
}
trap finish EXIT
"$peers/netlab" up >/dev/null

# nginx for one director: foreground, its own prefix, answers "director NODE" on VIP:80
nginx_conf() {
  local n=$1 p=$home/nginx-$1
  mkdir -p "$p/logs"
  cat >"$p/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $p/nginx.pid;
error_log $p/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $p/body; proxy_temp_path $p/proxy; fastcgi_temp_path $p/fcgi;
  uwsgi_temp_path $p/uwsgi; scgi_temp_path $p/scgi;
  server { listen $VIP:80; listen 127.0.0.1:80; location / { return 200 "director $n\n"; } }
}
EOF
  echo "$p"
}

pulse_conf() {
  local n=$1 ka=$2 dt=$3 p
  p=$(nginx_conf "$n")
  cat >"$home/$n.lvs.cf" <<EOF
serial_no = 1
primary = ${NODE_IP[dir1]}
service = fos
backup_active = 1
backup = ${NODE_IP[dir2]}
heartbeat_port = 539
keepalive = $ka
deadtime = $dt
pulse_metrics = off
failover web {
     active = 1
     address = $VIP $LAN_IF:1
     vip_nmask = 255.255.255.0
     port = 80
     send = "GET / HTTP/1.0\r\n\r\n"
     expect = "HTTP"
     timeout = 1
     start_cmd = "$(command -v nginx) -p $p/ -c $p/nginx.conf"
     stop_cmd = "/bin/true"
}
EOF
}

ka_conf() {
  local n=$1 ka=$2 state=$3 prio=$4 ver=2
  [[ $ka == *.* && ${ka#*.} != 0 ]] && ver=3
  cat >"$home/$n.keepalived.conf" <<EOF
global_defs {
  router_id $n
  vrrp_version $ver
  script_user root
}
vrrp_script chk_nginx {
  script "$(command -v curl) -sf -o /dev/null --max-time 1 http://127.0.0.1/"
  interval 1
  timeout 1
  fall 1
  rise 1
}
vrrp_instance VI_1 {
  state $state
  interface $LAN_IF
  virtual_router_id $VRID
  priority $prio
  advert_int $ka
  virtual_ipaddress {
    $VIP/$PREFIXLEN dev $LAN_IF
  }
  track_script {
    chk_nginx
  }
}
EOF
}

# until SECONDS cmd...: cmd every 100 ms until it succeeds, bounded by the clock (slow commands on a busy machine)
until_t() {
  local end=$((EPOCHSECONDS + $1)); shift
  while ((EPOCHSECONDS < end)); do "$@" && return 0; sleep 0.1; done
  "$@"
}
served_by() { nsx cli curl -s --noproxy '*' --max-time 0.3 "http://$VIP/" 2>/dev/null | grep -q "director $1"; }
logged() { grep -q "$2" "$PEERS_RUN/ha-$1.log" 2>/dev/null; }

start_pulse() {
  local ka=$1 dt=$2 n
  for n in dir1 dir2; do pulse_conf "$n" "$ka" "$dt"; done
  local jvm=(-Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -cp "$cp" piranha.pulse.PulseMain)
  spawn_ts ha-dir1 dir1 "$PEERS_RUN/ha-dir1.log" "$java" "${jvm[@]}" -n -c "$home/dir1.lvs.cf" \
    --control-socket "$home/dir1.sock" --lvsd-control-socket "$home/dir1-lvsd.sock"
  until_t 30 served_by dir1 || return 1
  spawn_ts ha-dir2 dir2 "$PEERS_RUN/ha-dir2.log" "$java" "${jvm[@]}" -n -c "$home/dir2.lvs.cf" \
    --control-socket "$home/dir2.sock" --lvsd-control-socket "$home/dir2-lvsd.sock"
  until_t 30 logged dir2 "starting FOS client monitor" || return 1
  sleep 1.5 # the standby's probe has seen the service up
}

start_keepalived() {
  local ka=$1 n
  for n in dir1 dir2; do
    p=$(nginx_conf "$n")
    spawn_named "ngx-$n" "$n" "$p/logs/stdout" "$(command -v nginx)" -p "$p/" -c "$p/nginx.conf"
  done
  ka_conf dir1 "$ka" MASTER 150
  ka_conf dir2 "$ka" BACKUP 100
  for n in dir1 dir2; do
    spawn_ts "ha-$n" "$n" "$PEERS_RUN/ha-$n.log" keepalived --dont-fork --log-console --log-detail --no-syslog --vrrp \
      -f "$home/$n.keepalived.conf" -p "$PEERS_RUN/ha-$n.main.pid" -r "$PEERS_RUN/ha-$n.vrrp.pid"
    if [[ $n == dir1 ]]; then until_t 30 served_by dir1 || return 1; fi
  done
  until_t 30 logged dir2 "Entering BACKUP STATE" || return 1
  sleep 1.5
}

# the nginx processes of dir1: pulse's start_cmd child (and its worker), or the bench's own
nginx_pids() {
  local master
  master=$(cat "$home/nginx-dir1/nginx.pid" 2>/dev/null) || return 0
  tree_pids "$master"
}

printf 'system\tkeepalive\tdeadtime\trun\tswitch_s\n' >"$out/runs.tsv"
for sys in $systems; do
  for t in $timings; do
    ka=${t%%:*} dt=${t##*:}
    for ((r = 1; r <= runs; r++)); do
      stop_all
      ip -n "$(ns cli)" neigh del "$VIP" dev "$LAN_IF" 2>/dev/null || true
      rm -f "$PEERS_RUN"/ha-*.log "$home"/nginx-*/nginx.pid
      if ! "start_$sys" "$ka" "$dt"; then
        log "$sys $t run $r: did not start; skipped"
        cp "$PEERS_RUN"/ha-*.log "$out/" 2>/dev/null || true
        continue
      fi
      clog=$out/client-$sys-$ka-$r.log stopf=$PEERS_RUN/client.stop
      rm -f "$clog" "$stopf"
      spawn_named client cli /dev/null bash "$peers/client-loop" "$clog" "http://$VIP/" 2000 0.02 0.2 "$stopf"
      sleep "$(awk -v s="$RANDOM" 'BEGIN{printf "%.3f", 2 + (s % 1000) / 1000}')"
      mapfile -t victims < <(nginx_pids)
      t0=$EPOCHREALTIME
      ((${#victims[@]})) && kill -KILL "${victims[@]}" 2>/dev/null || true
      for ((i = 0; i < 300; i++)); do
        grep -q "director_dir2" "$clog" 2>/dev/null && break
        sleep 0.05
      done
      sleep 0.5
      touch "$stopf"; sleep 0.3; stop_named client TERM
      sw=$(awk -v t0="$t0" '$1 >= t0 && $4 ~ /director_dir2/ {printf "%.3f", $2 - t0; exit}' "$clog")
      printf '%s\t%s\t%s\t%d\t%s\n' "$sys" "$ka" "$dt" "$r" "${sw:-NA}" >>"$out/runs.tsv"
      log "$sys keepalive $ka deadtime $dt run $r: switch ${sw:-none} s"
      for n in dir1 dir2; do cp "$PEERS_RUN/ha-$n.log" "$out/ha-$sys-$ka-$r-$n.log" 2>/dev/null || true; done
    done
  done
done
stop_all
{
  echo "fos-nginx: nginx killed on the active director, client-visible switch (s): n min median max"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  for sys in $systems; do
    for t in $timings; do
      ka=${t%%:*}
      printf '%s keepalive %s: ' "$sys" "$ka"
      awk -F'\t' -v s="$sys" -v k="$ka" '$1 == s && $2 == k && $5 != "NA" {print $5}' "$out/runs.tsv" | stats
    done
  done
} | tee "$out/summary.txt"
