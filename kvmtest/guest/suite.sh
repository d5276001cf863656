#!/bin/bash
# Runs INSIDE the kvmlab guest, as root: lvsd with its ipvsadm backend against the guest
# kernel's IPVS. Every check reads the kernel (ipvsadm -Ln, -S, --stats, --timeout, -Lnc) or
# real traffic through it; lvsd's own logs are only printed when something fails.
#
#   kvmtest/guest/suite.sh [STEP...]      steps 1-4 (default: all), e.g. "suite.sh 2"
#
# Output: "ok N - what" / "not ok N - what" lines (N = step), kernel output between them, and
# "# step N done" when a step ran to its end; exits 1 if any check failed.
#
# Topology (all in the guest; the director is the guest's own network namespace):
#   netns kc 198.51.100.2 --veth-- director 198.51.100.1, VIPs .10 (web, sticky), .20 (fwmark 5)
#   director 203.0.113.(16i+1)/28 --veth-- netns ksI 203.0.113.(16i+2), default route via it (NAT)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STEPS=${*:-1 2 3 4}
W=/tmp/kvmtest
mkdir -p "$W"
SOCK=$W/lvsd.sock
CF=$W/lvs.cf
VIP=198.51.100.10
FVIP=198.51.100.20
FOREIGN=198.51.100.30
FAILED=0
# nanny's check period and deadline: under TCG on a loaded host a 3 s read deadline flapped
TIMEOUT=6
T0=$(date +%s.%N)

# ---------------------------------------------------------------- helpers
ok()     { echo "ok $1 - $2"; }
notok()  { echo "not ok $1 - $2"; FAILED=1; }
check()  { local n=$1 what=$2; shift 2; if "$@"; then ok "$n" "$what"; else notok "$n" "$what"; fi; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
show()   { echo "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }
rsaddr() { echo "203.0.113.$((16 * $1 + 2))"; }
ctl()    { python3 "$HERE/ctl.py" "$SOCK" "$@"; }
# waitfor SECONDS CMD...: polls CMD every 0.5 s; true as soon as it succeeds (CMD is run each
# time: pass a function, never a "$(...)" that would be evaluated once)
waitfor() {
    local until=$(( $(date +%s) + $1 )); shift
    while :; do
        "$@" && return 0
        [ "$(date +%s)" -ge "$until" ] && return 1
        sleep 0.5
    done
}
has_line()  { ipvsadm -Ln | grep -Eq -e "$1"; }
no_line()   { ! ipvsadm -Ln | grep -Eq -e "$1"; }
# dest_line SERVICE_REGEX RIP:RPORT -> the destination's -Ln line under that service
dest_line() {
    ipvsadm -Ln | awk -v svc="$1" -v rs="$2" '
        /^(TCP|UDP|FWM) / { in_svc = ($0 ~ svc) } in_svc && $1 == "->" && $2 == rs { print; exit }'
}
get()      { ip netns exec kc timeout 10 busybox wget -q -O - "http://$1/" 2>/dev/null | head -1; }
svc_conns() { ipvsadm -Ln --stats | awk -v s="$1" '$1 ~ /^(TCP|UDP|FWM)$/ && $2 == s { print $3; exit }'; }
conns_at_least() { [ "$(svc_conns "$1")" -ge "$2" ] 2>/dev/null; }    # conns_at_least SERVICE N
dest_weight()    { dest_line "$1" "$2" | grep -Eq -e "Masq +$3 "; }    # dest_weight SERVICE RIP:PORT W
timeouts_are()   { [ "$(ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): $1" ]; }

start_rs() {   # start_rs I PORT
    ip netns exec "ks$1" python3 "$HERE/rs.py" "rs$1" "$2" > "$W/rs$1-$2.log" 2>&1 &
    echo $! > "$W/rs$1-$2.pid"
}
stop_rs()  { kill "$(cat "$W/rs$1-$2.pid")" 2>/dev/null; wait "$(cat "$W/rs$1-$2.pid")" 2>/dev/null; }

lvs_cf() {     # lvs_cf WEB_SCHED RS1_WEIGHT TCP TCPFIN UDP
    CUR_SCHED=$1 CUR_W1=$2
    cat <<CF
serial_no = 1
primary = 198.51.100.1
service = lvs
backend = ipvsadm
ipvsadm = $W/ipvsadm
network = nat
tcp_timeout = $3
tcpfin_timeout = $4
udp_timeout = $5
virtual web {
    active = 1
    address = $VIP eth0:1
    protocol = tcp
    port = 80
    scheduler = $1
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = $TIMEOUT
    reentry = 3
    server rs1 {
        address = $(rsaddr 1)
        active = 1
        weight = $2
    }
    server rs2 {
        address = $(rsaddr 2)
        active = 1
        weight = 2
    }
}
virtual sticky {
    active = 1
    address = $VIP eth0:1
    protocol = tcp
    port = 8080
    scheduler = lc
    persistent = 120
    pmask = 255.255.255.0
    quiesce_server = 1
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = $TIMEOUT
    reentry = 3
    server rs3 {
        address = $(rsaddr 3)
        port = 80
        active = 1
    }
}
virtual marked {
    active = 1
    address = $FVIP eth0:2
    protocol = tcp
    port = 80
    fwmark = 5
    scheduler = rr
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = $TIMEOUT
    reentry = 3
    server rs1 {
        address = $(rsaddr 1)
        active = 1
    }
    server rs2 {
        address = $(rsaddr 2)
        active = 1
    }
}
CF
}

fail_dump() {
    echo "# ---- lvsd output (last 60 lines) ----"; tail -60 "$W/lvsd.log" 2>/dev/null | sed 's/^/# /'
    echo "# ---- ipvsadm -Ln ----"; ipvsadm -Ln | sed 's/^/# /'
}

# ---------------------------------------------------------------- lab
echo "# kernel $(uname -r), $(ipvsadm --version 2>&1), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource), steps: $STEPS"
for m in ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc; do modprobe "$m"; done
sysctl -qw net.ipv4.ip_forward=1
ip netns add kc
ip link add vkc type veth peer name eth0 netns kc
ip addr add 198.51.100.1/24 dev vkc
ip addr add $VIP/32 dev vkc
ip addr add $FVIP/32 dev vkc
ip link set vkc up
ip -n kc link set lo up
ip -n kc addr add 198.51.100.2/24 dev eth0
ip -n kc link set eth0 up
for i in 1 2 3; do
    ip netns add "ks$i"
    ip link add "vks$i" type veth peer name eth0 netns "ks$i"
    ip addr add "203.0.113.$((16 * i + 1))/28" dev "vks$i"
    ip link set "vks$i" up
    ip -n "ks$i" link set lo up
    ip -n "ks$i" addr add "$(rsaddr "$i")/28" dev eth0
    ip -n "ks$i" link set eth0 up
    ip -n "ks$i" route add default via "203.0.113.$((16 * i + 1))"   # NAT: replies pass the director
    start_rs "$i" 80
done
# fwmark 5: the mark the "marked" service is, set on packets to FVIP:80 before routing
iptables -t mangle -A PREROUTING -d $FVIP/32 -p tcp --dport 80 -j MARK --set-mark 5
for i in 1 2 3; do
    waitfor 30 ip netns exec "ks$i" nc -z "$(rsaddr "$i")" 80 || echo "# real server rs$i did not come up"
done
# A service lvsd does not own, there before lvsd starts; it must survive lvsd's start and stop.
ipvsadm -A -t $FOREIGN:80 -s lc
ipvsadm -a -t $FOREIGN:80 -r 203.0.113.99:80 -g -w 5
echo "# lab ready after $(elapsed "$T0") s"

# ---------------------------------------------------------------- lvsd
lvs_cf wrr 1 1234 56 78 > "$CF"
# lvs.cf's ipvsadm: the real one, with each call (and each line of a -R batch) logged, so that
# step 3 can tell an edit from a delete and re-add
cat > "$W/ipvsadm" <<'SH'
#!/bin/bash
echo "$*" >> /tmp/kvmtest/ipvsadm.calls
if [ "${1:-}" = -R ]; then
    in=$(cat)
    printf '%s\n' "$in" | sed 's/^/-R| /' >> /tmp/kvmtest/ipvsadm.calls
    printf '%s\n' "$in" | exec /usr/sbin/ipvsadm "$@"
fi
exec /usr/sbin/ipvsadm "$@"
SH
chmod +x "$W/ipvsadm"
# lvsd from the checkout, with the class path and class-data archive that kvmtest/lvsd-cds.sh
# prepared on the host: under TCG, loading and verifying classes is most of lvsd's start-up
CP=$("$ROOT/kvmtest/lvsd-cds.sh" --classpath)
JSA=$ROOT/kvmtest/target/lvsd.jsa
CDS=()
if [ -s "$JSA" ]; then CDS=(-XX:SharedArchiveFile="$JSA" -Xshare:auto); else echo "# no $JSA: lvsd starts without it"; fi
TL=$(date +%s.%N)
# shellcheck disable=SC2086
java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${CDS[@]}" ${KVMTEST_JAVA_OPTS:-} -cp "$CP" piranha.lvsd.LvsdMain \
    -n -c "$CF" --backend=ipvsadm --control-socket "$SOCK" > "$W/lvsd.log" 2>&1 &
LVSD=$!
if ! waitfor 300 test -S "$SOCK"; then
    notok 0 "lvsd opens its control socket"; fail_dump; exit 1
fi
# wait-ready answers within the control socket's reply timeout; ask again while it is not ready
READY=
for _ in 1 2 3 4 5; do
    READY=$(ctl '{"cmd":"wait-ready"}' 'r.get("ready")' 2>/dev/null)
    [ "$READY" = True ] && break
    kill -0 $LVSD 2>/dev/null || break
done
check 0 "lvsd ready ($(elapsed "$TL") s after start)" test "$READY" = True
# the first table holds the servers whose first check passed; wait until every nanny reported
waitfor 120 has_line "-> $(rsaddr 3):80 .*Masq +1 " && waitfor 60 has_line "-> $(rsaddr 2):80 .*Masq +2 "
echo "# table complete $(elapsed "$TL") s after lvsd start"

# ---------------------------------------------------------------- step 1: the kernel table
step1() {
    show ipvsadm -Ln
    show ipvsadm -S -n
    check 1 "web: TCP $VIP:80 with scheduler wrr" has_line "^TCP  $VIP:80 wrr *$"
    check 1 "web: rs1 Masq weight 1" has_line "^  -> $(rsaddr 1):80 +Masq +1 "
    check 1 "web: rs2 Masq weight 2" has_line "^  -> $(rsaddr 2):80 +Masq +2 "
    check 1 "sticky: lc, persistent 120, mask 255.255.255.0" has_line "^TCP  $VIP:8080 lc persistent 120 mask 255.255.255.0 *$"
    check 1 "sticky: rs3 Masq weight 1" test -n "$(dest_line "$VIP:8080" "$(rsaddr 3):80" | grep -E 'Masq +1 ')"
    check 1 "marked: FWM 5 rr" has_line "^FWM  5 rr *$"
    check 1 "marked: rs1 and rs2 Masq weight 1" test "$(ipvsadm -Ln | awk '/^FWM  5/{f=1;next} /^(TCP|UDP|FWM)/{f=0} f && /Masq +1 /' | wc -l)" = 2
    check 1 "-S -n holds the same services" test "$(ipvsadm -S -n | grep -c '^-A')" = 4
    check 1 "the foreign service survived lvsd's start" has_line "^TCP  $FOREIGN:80 lc *$"
    check 1 "the foreign service keeps its destination" test -n "$(dest_line "$FOREIGN:80" "203.0.113.99:80" | grep -E 'Route +5 ')"
    echo "# step 1 done"
}

# ---------------------------------------------------------------- step 2: real traffic
step2() {
    local a n1=0 n2=0 other=0 i t gone=no q
    for i in 1 2 3 4 5 6; do
        a=$(get $VIP)
        echo "    request $i -> ${a:-nothing}"
        case $a in rs1) n1=$((n1 + 1)) ;; rs2) n2=$((n2 + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    check 2 "6 connections, wrr 1:2 -> rs1 2, rs2 4 (got $n1, $n2, $other other)" test "$n1:$n2:$other" = 2:4:0
    waitfor 10 conns_at_least $VIP:80 6
    show ipvsadm -Ln --stats
    check 2 "the kernel counted the 6 connections of web" test "$(svc_conns $VIP:80)" -ge 6
    check 2 "sticky answers through $VIP:8080" test "$(ip netns exec kc timeout 10 busybox wget -q -O - "http://$VIP:8080/" | head -1)" = rs3

    t=$(date +%s.%N)
    stop_rs 2 80
    # nanny checks every timeout; a failed check takes the server out
    waitfor 60 no_line "$(rsaddr 2):80 .*Masq +2 " && gone=yes
    local took; took=$(elapsed "$t")
    show ipvsadm -Ln
    check 2 "rs2 stopped -> gone from web in the kernel (after $took s; timeout $TIMEOUT s)" test $gone = yes
    # one check period until the next check, its deadline, and slack for a JVM under TCG
    check 2 "rs2 gone within 3 check periods and 5 s" awk -v t="$took" -v m=$((3 * TIMEOUT + 5)) 'BEGIN{exit !(t <= m)}'
    check 2 "rs2 also gone from FWM 5" test -z "$(dest_line "FWM  5" "$(rsaddr 2):80")"
    n1=0; other=0
    for i in 1 2 3 4; do
        a=$(get $VIP)
        echo "    request $i -> ${a:-nothing}"
        [ "$a" = rs1 ] && n1=$((n1 + 1)) || other=$((other + 1))
    done
    check 2 "4 connections after the failure all reach rs1 (got rs1 $n1, other $other)" test "$n1:$other" = 4:0

    t=$(date +%s.%N)
    stop_rs 3 80
    q=no
    # (on a loaded host an ipvsadm -R has run into lvsd's 10 s deadline here and been retried)
    waitfor 150 dest_weight "$VIP:8080" "$(rsaddr 3):80" 0 && q=yes
    took=$(elapsed "$t")
    show ipvsadm -Ln
    check 2 "quiesce_server: rs3 stopped -> kept at weight 0 (after $took s)" test $q = yes
    sleep $TIMEOUT
    check 2 "rs3 stays in the table at weight 0 one check later" test -n "$(dest_line "$VIP:8080" "$(rsaddr 3):80" | grep -E 'Masq +0 ')"
    # back for the next steps; nanny lets them in again after reentry
    start_rs 2 80
    start_rs 3 80
    waitfor 60 has_line "-> $(rsaddr 2):80 .*Masq +2 "
    check 2 "rs2 back in web after it answers again (reentry 3 s)" has_line "-> $(rsaddr 2):80 .*Masq +2 "
    echo "# step 2 done"
}

# ---------------------------------------------------------------- step 3: reload
step3() {
    local before after out reply checks1 restarts1 checks2 restarts2 i
    # the long-lived connection, opened before the reload
    rm -f "$W/go"
    ip netns exec kc python3 "$HERE/longconn.py" $VIP 80 "$W/go" > "$W/longconn.out" 2>&1 &
    local lc=$!
    waitfor 30 test -s "$W/longconn.out"
    waitfor 10 conns_at_least $VIP:80 1
    before=$(svc_conns $VIP:80)
    local calls; calls=$(wc -l < "$W/ipvsadm.calls")
    checks1=$(ctl '{"cmd":"status"}' '[s for v in r["services"] if v["name"]=="web" for s in v["servers"] if s["name"]=="rs1"][0]["checks"]')
    restarts1=$(ctl '{"cmd":"status"}' 'sum(s["nanny_restarts"] for v in r["services"] for s in v["servers"])')
    show ipvsadm -Ln

    lvs_cf wlc 3 1234 56 78 > "$CF"
    reply=$(ctl '{"cmd":"reload"}')
    echo "    reload -> $reply"
    check 3 "the reload reply lists the scheduler change" grep -q 'changed virtual service web: -s wlc' <<< "$reply"
    check 3 "the reload reply lists the weight change" grep -q 'weight of -t 198.51.100.10:80 -r 203.0.113.18:80: 1 -> 3' <<< "$reply"
    waitfor 20 has_line "^TCP  $VIP:80 wlc *$"
    show ipvsadm -Ln
    check 3 "kernel: web now wlc" has_line "^TCP  $VIP:80 wlc *$"
    check 3 "kernel: rs1 now weight 3" has_line "^  -> $(rsaddr 1):80 +Masq +3 "
    sleep 3   # a stats estimator period: a re-created service would show 0 here
    after=$(svc_conns $VIP:80)
    show ipvsadm -Ln --stats
    check 3 "web kept its connection counter ($before -> $after): edited (-E), not re-created" test "$after" -ge "$before"
    # (a destination's counters cannot tell: -d and -a of the same one revive it from the
    # kernel's trash with its counters); the calls lvsd made since the reload can
    tail -n +$((calls + 1)) "$W/ipvsadm.calls" | sed 's/^/    ipvsadm /'
    local since; since=$(tail -n +$((calls + 1)) "$W/ipvsadm.calls")
    check 3 "the scheduler change was one -E" grep -Eq -e "^(-R\| )?-E -t $VIP:80 -s wlc$" <<< "$since"
    check 3 "the weight change was one -e" grep -Eq -e "^(-R\| )?-e -t $VIP:80 -r $(rsaddr 1):80 -m -w 3$" <<< "$since"
    check 3 "web was neither deleted nor added" test -z "$(grep -E -e "^(-R\| )?-[AD] -t $VIP:80( |$)" <<< "$since")"
    touch "$W/go"
    wait $lc
    sed 's/^/    long-lived: /' "$W/longconn.out"
    local first second
    first=$(sed -n 1p "$W/longconn.out"); second=$(sed -n 2p "$W/longconn.out")
    check 3 "the connection opened before the reload still works after it" test -n "$first" -a "$second" = "${first% before} after"
    sleep $TIMEOUT   # at least one more check period
    checks2=$(ctl '{"cmd":"status"}' '[s for v in r["services"] if v["name"]=="web" for s in v["servers"] if s["name"]=="rs1"][0]["checks"]')
    restarts2=$(ctl '{"cmd":"status"}' 'sum(s["nanny_restarts"] for v in r["services"] for s in v["servers"])')
    check 3 "rs1's nanny kept counting its checks ($checks1 -> $checks2): not restarted" test "$checks2" -gt "$checks1"
    check 3 "no nanny restarted ($restarts1 -> $restarts2)" test "$restarts2" = "$restarts1"
    echo "# step 3 done"
}

# ---------------------------------------------------------------- step 4: timeouts, fwmark
step4() {
    local out a n1=0 n2=0 other=0 i
    out=$(ipvsadm -L --timeout)
    echo "    $out"
    check 4 "tcp_timeout/tcpfin_timeout/udp_timeout reached the kernel" test "$out" = "Timeout (tcp tcpfin udp): 1234 56 78"
    for i in 1 2 3 4; do
        a=$(get $FVIP)
        echo "    request $i to $FVIP (fwmark 5) -> ${a:-nothing}"
        case $a in rs1) n1=$((n1 + 1)) ;; rs2) n2=$((n2 + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    check 4 "fwmark 5 service: rr over rs1 and rs2 (got $n1, $n2, $other other)" test "$n1:$n2:$other" = 2:2:0
    waitfor 10 conns_at_least 5 4
    show ipvsadm -Ln --stats
    check 4 "the kernel counted them on FWM 5" test "$(svc_conns 5)" -ge 4
    check 4 "iptables marked them" test "$(iptables -t mangle -L PREROUTING -v -n -x | awk '/MARK set 0x5/ {print $1; exit}')" -ge 4
    lvs_cf "$CUR_SCHED" "$CUR_W1" 1300 60 90 > "$CF"
    kill -HUP $LVSD
    waitfor 60 timeouts_are "1300 60 90"
    out=$(ipvsadm -L --timeout)
    echo "    after SIGHUP: $out"
    check 4 "changed timeouts reach the kernel on reload" test "$out" = "Timeout (tcp tcpfin udp): 1300 60 90"
    echo "# step 4 done"
}

for s in $STEPS; do
    case $s in
        1|2|3|4) echo "# step $s"; ts=$(date +%s.%N); "step$s"; echo "# step $s took $(elapsed "$ts") s" ;;
        *) notok 0 "unknown step '$s' (1-4)" ;;
    esac
done

# ---------------------------------------------------------------- stop
kill -TERM $LVSD
i=0; while kill -0 $LVSD 2>/dev/null && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
wait $LVSD; rc=$?
show ipvsadm -Ln
check 0 "lvsd exits 0 on SIGTERM" test $rc = 0
check 1 "lvsd removed its services on stop" test "$(ipvsadm -S -n | grep -c '^-A')" = 1
check 1 "the foreign service survived lvsd's stop" has_line "^TCP  $FOREIGN:80 lc *$"
[ $FAILED = 0 ] || fail_dump
echo "# suite took $(elapsed "$T0") s in the guest"
exit $FAILED
