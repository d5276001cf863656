#!/bin/bash
# Runs INSIDE the kvmlab guest, as root: lvsd with its ipvsadm backend against the guest
# kernel's IPVS. Every check reads the kernel (ipvsadm -Ln, -S, --stats, --timeout, -Lnc) or
# real traffic through it; lvsd's own logs are only printed when something fails.
#
#   kvmtest/guest/suite.sh [STEP...]      steps 1-12 (default: all), e.g. "suite.sh 2"
#
# Output: "ok N - what" / "not ok N - what" lines (N = step), kernel output between them, and
# "# step N done" when a step ran to its end; exits 1 if any check failed.
#
# Topology of steps 1-4 (all in the guest; the director is the guest's own network namespace):
#   netns kc 198.51.100.2 --veth-- director 198.51.100.1, VIPs .10 (web, sticky), .20 (fwmark 5)
#   director 203.0.113.(16i+1)/28 --veth-- netns ksI 203.0.113.(16i+2), default route via it (NAT)
# Step 5 has two directors of its own (see lab5).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STEPS=${*:-1 2 3 4 5 6 7 8 9 10 11 12}
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

# launcher lvsd|pulse: writes $W/bin/MODULE, which runs the daemon from the checkout with the
# class path and class-data archive that kvmtest/cds.sh prepared on the host (under TCG, loading
# and verifying classes is most of a JVM's start-up); KVMTEST_JAVA_OPTS adds JVM options
launcher() {
    local module=$1 main cp jsa cds=""
    case $module in lvsd) main=piranha.lvsd.LvsdMain ;; pulse) main=piranha.pulse.PulseMain ;; esac
    cp=$("$ROOT/kvmtest/cds.sh" "$module" --classpath)
    jsa=$ROOT/kvmtest/target/$module.jsa
    if [ -s "$jsa" ]; then cds="-XX:SharedArchiveFile=$jsa -Xshare:auto"; else echo "# no $jsa: $module starts without it"; fi
    mkdir -p "$W/bin"
    printf '#!/bin/bash\nexec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx128m %s %s -cp %s %s "$@"\n' \
        "$cds" "${KVMTEST_JAVA_OPTS:-}" "$cp" "$main" > "$W/bin/$module"
    chmod +x "$W/bin/$module"
}

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

# ---------------------------------------------------------------- steps 1-4: the lab, lvsd
# The director is the guest's own network namespace; lvsd runs there from start to end of the
# steps 1-4 selected, and step 0's checks are its start and stop.
lab_and_lvsd() {
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
    TL=$(date +%s.%N)
    "$W/bin/lvsd" -n -c "$CF" --backend=ipvsadm --control-socket "$SOCK" > "$W/lvsd.log" 2>&1 &
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
}

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

# ---------------------------------------------------------------- step 5: two directors, pulse
# Two directors as network namespaces dir1 (primary) and dir2 (backup), each with its own IPVS
# table and sync daemon, on two bridges of the guest's own namespace:
#   public  198.51.100.0/24: dir1 .101, dir2 .102, client netns cli .103, VIP .110 (floating)
#   private 203.0.113.0/24:  dir1 .2, dir2 .3, nat_router .1 (floating), real servers srv1 .11,
#           srv2 .12 with their default route via the nat_router
# Each director runs pulse (started here) and lvsd (started by its pulse on activation) with the
# ipvsadm backend; syncdaemon = 1 on eth1, the private side.
D5=$W/ha
PVIP=198.51.100.110
NATIP=203.0.113.1
in_ns()    { local ns=$1; shift; ip netns exec "$ns" "$@"; }
ns_has_line() { in_ns "$1" ipvsadm -Ln | grep -Eq -e "$2"; }
ns_has_addr() { ip -n "$1" -4 addr show dev "$2" | grep -q "inet $3/"; }
ns_daemon()   { in_ns "$1" ipvsadm -L --daemon | grep -q "^$2 sync daemon (mcast=eth1, syncid=7,"; }
# pulse_is D KEY VALUE: pulse's status says so. Asked every 5 s at most: each question is a
# Python start in the guest and a query on pulse's heartbeat thread
pulse_is()    {
    [ "$(timeout 30 python3 "$HERE/ctl.py" "$D5/dir$1/pulse.sock" '{"cmd":"status"}' "r.get('$2')" 2>/dev/null)" = "$3" ] && return 0
    sleep 4; return 1
}
ns_empty()    { [ -z "$(ip netns pids "$1")" ]; }
mac_of()      { ip -n "$1" link show dev "$2" | awk '/link\/ether/ {print $2}'; }
neigh_is()    { ip -n "$1" neigh show "$2" | grep -q "lladdr $3 "; }
# conn_line NS: the -Lnc line of the long-lived connection (from $LCSRC, the client's address
# and port, to the VIP's port 80)
conn_line()   { in_ns "$1" ipvsadm -Lnc | awk -v v="$PVIP:80" -v c="$LCSRC" '$1 == "TCP" && $3 == "ESTABLISHED" && $4 == c && $5 == v'; }
has_conn()    { [ -n "$(conn_line "$1")" ]; }

# nanny's timeout is 10 s here: a takeover's lvsd starts its nannies while its JVM is busiest, and
# under TCG its event loops were blocked for 6 s and the first checks ran into a 6 s deadline;
# reentry 10 s brings a server whose first check failed back after one good check
lvs_cf5() {
    cat <<CF
serial_no = 1
primary = 198.51.100.101
backup = 198.51.100.102
backup_active = 1
service = lvs
heartbeat_port = 539
keepalive = 1
deadtime = $DEADTIME
network = nat
nat_router = $NATIP eth1:1
nat_nmask = 255.255.255.0
syncdaemon = 1
syncd_iface = eth1
syncd_id = 7
backend = ipvsadm
ipvsadm = /usr/sbin/ipvsadm
lvsd_ready_timeout = 400
garp_count = 5
garp_interval = 1
virtual web {
    active = 1
    address = $PVIP eth0:1
    protocol = tcp
    port = 80
    scheduler = rr
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = 10
    reentry = 10
    server srv1 {
        address = 203.0.113.11
        active = 1
    }
    server srv2 {
        address = 203.0.113.12
        active = 1
    }
}
CF
}

lab5() {
    local d i
    ip link add br5pub type bridge && ip link set br5pub up
    ip link add br5prv type bridge && ip link set br5prv up
    # plug NS PORT BRIDGE DEV ADDR/PREFIX
    plug() {
        ip link add "$2" type veth peer name "$4" netns "$1"
        ip link set "$2" master "$3" up
        ip -n "$1" addr add "$5" dev "$4"
        ip -n "$1" link set "$4" up
    }
    for d in 1 2; do
        ip netns add "dir$d"
        ip -n "dir$d" link set lo up
        plug "dir$d" "p5d$d" br5pub eth0 "198.51.100.10$d/24"
        plug "dir$d" "q5d$d" br5prv eth1 "203.0.113.$((d + 1))/24"
        in_ns "dir$d" sysctl -qw net.ipv4.ip_forward=1
        mkdir -p "$D5/dir$d"
    done
    ip netns add cli
    ip -n cli link set lo up
    plug cli p5c br5pub eth0 198.51.100.103/24
    for i in 1 2; do
        ip netns add "srv$i"
        ip -n "srv$i" link set lo up
        plug "srv$i" "q5s$i" br5prv eth0 "203.0.113.1$i/24"
        ip -n "srv$i" route add default via $NATIP    # NAT: replies pass the active director
        in_ns "srv$i" python3 "$HERE/rs.py" "srv$i" 80 > "$W/srv$i.log" 2>&1 &
    done
    for i in 1 2; do waitfor 30 in_ns "srv$i" nc -z "203.0.113.1$i" 80 || echo "# real server srv$i did not come up"; done
    lvs_cf5 > "$D5/lvs.cf"
}

# start_pulse NS CF DIR: pulse in namespace NS reading CF, its sockets, log and pid file in DIR;
# lvsd is its child there (steps 5, 10, 11)
start_pulse() {
    local ns=$1 cf=$2 dir=$3
    ip netns exec "$ns" "$W/bin/pulse" -n -c "$cf" --lvsd="$W/bin/lvsd" \
        --control-socket "$dir/pulse.sock" --lvsd-control-socket "$dir/lvsd.sock" \
        >> "$dir/pulse.log" 2>&1 &
    echo $! > "$dir/pulse.pid"
}

fail_dump5() {
    local d
    for d in 1 2; do
        echo "# ---- dir$d: pulse and lvsd output (last 40 lines) ----"; tail -40 "$D5/dir$d/pulse.log" 2>/dev/null | sed 's/^/# /'
        echo "# ---- dir$d: ipvsadm -Ln, -Lnc, --daemon; ip addr ----"
        { in_ns "dir$d" ipvsadm -Ln; in_ns "dir$d" ipvsadm -Lnc; in_ns "dir$d" ipvsadm -L --daemon; ip -n "dir$d" -4 addr; } 2>&1 | sed 's/^/# /'
    done
}

# reach_in STEP DUMP SECONDS WHAT CMD...: waits for a state the rest of step STEP builds on; if it
# never comes, a failed check, DUMP (the directors' logs and tables), and the step ends
reach_in() {
    local step=$1 dump=$2 secs=$3 what=$4 t; t=$(date +%s.%N); shift 4
    if waitfor "$secs" "$@"; then echo "# $what after $(elapsed "$t") s"; return 0; fi
    notok "$step" "$what (not within $secs s)"; "$dump"; return 1
}
reach() { reach_in 5 fail_dump5 "$@"; }

stop5() {
    local d
    for d in dir1 dir2 cli srv1 srv2; do ip netns pids "$d" | xargs -r kill -9; done
}

step5() {
    local t took d mac0 mac1 first second lc
    DEADTIME=15
    lab5
    echo "# step 5 lab ready after $(elapsed "$T0") s"
    # The primary alone: after deadtime without a heartbeat it activates. The backup starts once
    # the primary is complete (under TCG a JVM starting beside pulse has delayed its heartbeats
    # by up to 31 s), hears it running and stays standby.
    start_pulse dir1 "$D5/lvs.cf" "$D5/dir1"
    reach 500 "dir1 (pulse active, lvsd ready) plumbed the VIP" ns_has_addr dir1 eth0 $PVIP || { stop5; return; }
    reach 120 "dir1's table complete" eval 'ns_has_line dir1 "-> 203.0.113.11:80 +Masq +1 " && ns_has_line dir1 "-> 203.0.113.12:80 +Masq +1 "' || { stop5; return; }
    start_pulse dir2 "$D5/lvs.cf" "$D5/dir2"
    reach 400 "dir2's pulse hears dir1 running" pulse_is 2 partner running || { stop5; return; }
    reach 60 "dir2's backup sync daemon started" ns_daemon dir2 backup || { stop5; return; }
    echo "\$ ip netns exec dir1 ipvsadm -Ln; ipvsadm -L --daemon; ip -4 addr"
    { in_ns dir1 ipvsadm -Ln; in_ns dir1 ipvsadm -L --daemon; ip -n dir1 -4 addr show; } | sed 's/^/    /'
    echo "\$ ip netns exec dir2 ipvsadm -Ln; ipvsadm -L --daemon; ip -4 addr"
    { in_ns dir2 ipvsadm -Ln; in_ns dir2 ipvsadm -L --daemon; ip -n dir2 -4 addr show; } | sed 's/^/    /'
    check 5 "dir2 (backup) is standby and hears dir1 running" eval 'pulse_is 2 state standby && pulse_is 2 partner running'
    check 5 "dir1 (primary) holds the VIP on eth0" ns_has_addr dir1 eth0 $PVIP
    check 5 "dir1 holds the nat_router address on eth1" ns_has_addr dir1 eth1 $NATIP
    check 5 "dir1's kernel: TCP $PVIP:80 rr with srv1 and srv2 Masq" \
        eval 'ns_has_line dir1 "^TCP  $PVIP:80 rr *$" && ns_has_line dir1 "-> 203.0.113.11:80 +Masq +1 " && ns_has_line dir1 "-> 203.0.113.12:80 +Masq +1 "'
    check 5 "dir1 runs the master sync daemon on eth1, syncid 7" ns_daemon dir1 master
    check 5 "dir2 (backup) runs the backup sync daemon on eth1, syncid 7" ns_daemon dir2 backup
    check 5 "dir2 holds neither the VIP nor the nat_router" eval '! ns_has_addr dir2 eth0 $PVIP && ! ns_has_addr dir2 eth1 $NATIP'
    check 5 "dir2's kernel has no virtual service while standby" test -z "$(in_ns dir2 ipvsadm -Ln | grep -E '^(TCP|UDP|FWM) ')"

    # the long-lived connection through dir1, and two short ones
    rm -f "$W/go5"
    in_ns cli python3 "$HERE/longconn.py" $PVIP 80 "$W/go5" > "$W/longconn5.out" 2>&1 &
    lc=$!
    reach 60 "the long-lived connection answered" test -s "$W/longconn5.out" || { stop5; return; }
    first=$(sed -n 1p "$W/longconn5.out")
    echo "    long-lived, before: $first"
    check 5 "two new connections through dir1 reach srv1 and srv2 (rr)" \
        test "$(for _ in 1 2; do in_ns cli timeout 10 busybox wget -q -O - "http://$PVIP/" | head -1; done | sort | paste -sd,)" = srv1,srv2
    LCSRC=$(in_ns cli ss -Htn state established dst $PVIP | awk '{print $3; exit}')
    echo "    long-lived connection from $LCSRC"
    waitfor 30 has_conn dir1
    waitfor 30 has_conn dir2
    show ip netns exec dir1 ipvsadm -Lnc
    show ip netns exec dir2 ipvsadm -Lnc
    check 5 "dir1's kernel has the long-lived connection ($LCSRC -> $PVIP:80)" has_conn dir1
    check 5 "syncdaemon: dir2's kernel holds it too, synced, before any takeover" has_conn dir2
    check 5 "the synced entry names the same real server" test "$(conn_line dir2 | awk '{print $6}')" = "$(conn_line dir1 | awk '{print $6}')"

    # a crash of the active director's daemons: every process in dir1 (pulse, lvsd, any child);
    # its kernel keeps its addresses and table, as after an OOM kill
    mac0=$(mac_of dir2 eth0); mac1=$(mac_of dir2 eth1)
    echo "    kill -9 of dir1's processes: $(ip netns pids dir1 | paste -sd' ')"
    t=$(date +%s.%N)
    ip netns pids dir1 | xargs -r kill -9
    waitfor 30 ns_empty dir1
    reach 500 "dir2 took the VIP" ns_has_addr dir2 eth0 $PVIP || { stop5; return; }
    took=$(elapsed "$t")
    waitfor 120 eval 'ns_has_line dir2 "-> 203.0.113.11:80 +Masq +1 " && ns_has_line dir2 "-> 203.0.113.12:80 +Masq +1 "'
    echo "# dir2 took the VIP $took s after the kill, its table complete after $(elapsed "$t") s"
    # the burst of gratuitous ARPs moves the neighbours' entries to dir2
    waitfor 30 neigh_is cli $PVIP "$mac0"
    waitfor 30 eval 'neigh_is srv1 $NATIP "$mac1" && neigh_is srv2 $NATIP "$mac1"'
    echo "\$ ip netns exec dir2 ipvsadm -Ln; ipvsadm -Lnc; ipvsadm -L --daemon; ip -4 addr"
    { in_ns dir2 ipvsadm -Ln; in_ns dir2 ipvsadm -Lnc; in_ns dir2 ipvsadm -L --daemon; ip -n dir2 -4 addr show; } | sed 's/^/    /'
    show ip -n cli neigh show $PVIP
    show ip -n srv1 neigh show $NATIP
    check 5 "dir2 took the VIP on eth0 (after $took s: deadtime $DEADTIME s, then lvsd's start under TCG)" ns_has_addr dir2 eth0 $PVIP
    check 5 "dir2 took the nat_router address on eth1" ns_has_addr dir2 eth1 $NATIP
    check 5 "dir2's kernel: TCP $PVIP:80 rr with srv1 and srv2 Masq" \
        eval 'ns_has_line dir2 "^TCP  $PVIP:80 rr *$" && ns_has_line dir2 "-> 203.0.113.11:80 +Masq +1 " && ns_has_line dir2 "-> 203.0.113.12:80 +Masq +1 "'
    check 5 "dir2 now runs the master sync daemon" ns_daemon dir2 master
    check 5 "dir2's kernel still holds the synced connection after the takeover" has_conn dir2
    check 5 "the client's ARP entry for the VIP moved to dir2 ($mac0)" neigh_is cli $PVIP "$mac0"
    check 5 "the real servers' ARP entries for the nat_router moved to dir2 ($mac1)" eval 'neigh_is srv1 $NATIP "$mac1" && neigh_is srv2 $NATIP "$mac1"'

    touch "$W/go5"
    waitfor 120 eval '! kill -0 $lc 2>/dev/null'
    kill $lc 2>/dev/null; wait $lc 2>/dev/null
    sed 's/^/    long-lived: /' "$W/longconn5.out"
    second=$(sed -n 2p "$W/longconn5.out")
    check 5 "the connection opened before the failover carries data after it, to the same real server" \
        test -n "$first" -a "$second" = "${first% before} after"
    check 5 "new connections go through dir2 to srv1 and srv2" \
        test "$(for _ in 1 2; do in_ns cli timeout 10 busybox wget -q -O - "http://$PVIP/" | head -1; done | sort | paste -sd,)" = srv1,srv2
    [ $FAILED = 0 ] || fail_dump5

    # the survivor stops cleanly (SIGTERM: lvsd tears its table down, pulse its addresses)
    kill -TERM "$(cat "$D5/dir2/pulse.pid")"
    waitfor 120 ns_empty dir2
    check 5 "dir2's pulse and lvsd exit on SIGTERM" ns_empty dir2
    check 5 "dir2 released the VIP and its kernel table" \
        eval '! ns_has_addr dir2 eth0 $PVIP && test -z "$(in_ns dir2 ipvsadm -Ln | grep -E "^(TCP|UDP|FWM) ")"'
    stop5
    echo "# step 5 done"
}

# ---------------------------------------------------------------- step 6: mh as the kernel does it
# The table and clients of MaglevHashingTest.theKernelSuitesTableGivesTheKernelSuitesAnswers: the
# kernel must send each client to the real server the user-space plane's mh chooses for the same
# table. No daemon: ipvsadm by hand, one connection attempt per client (the real servers answer
# with a reset; the kernel's connection entry names the destination it scheduled).
#   netns mc 198.51.100.{7,8,9,50,77,200} --veth-- md 198.51.100.1, VIP .10 --veth-- mr 203.0.113.{1,2,3}
MH_CLIENTS="198.51.100.7 198.51.100.8 198.51.100.9 198.51.100.50 198.51.100.77 198.51.100.200"
# CLIENT:DEST without mh-port, CLIENT:DEST with mh-port and source port 40000 (MaglevHashingTest's)
MH_PLAIN="198.51.100.7:203.0.113.2 198.51.100.8:203.0.113.1 198.51.100.9:203.0.113.2 198.51.100.50:203.0.113.3 198.51.100.77:203.0.113.2 198.51.100.200:203.0.113.3"
MH_PORT="198.51.100.7:203.0.113.1 198.51.100.8:203.0.113.3 198.51.100.9:203.0.113.2 198.51.100.50:203.0.113.2 198.51.100.77:203.0.113.2 198.51.100.200:203.0.113.3"
mh_connect() {  # mh_connect CLIENT SPORT (0: any): one connection attempt from the client to the VIP
    ip netns exec mc python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(3)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
try:
    s.connect(("198.51.100.10", 80))
except OSError:
    pass
PY
}
mh_dest() {     # mh_dest CLIENT SPORT (0: any) -> the destination address of the kernel's entry
    ip netns exec md ipvsadm -Lnc | awk -v c="$1" -v p="$2" '$1 == "TCP" {
        split($4, a, ":"); if (a[1] == c && (p == 0 || a[2] == p)) { split($6, b, ":"); print b[1]; exit } }'
}
# mh_expect "CLIENT:DEST ..." SPORT: a connection attempt from each client, whose entry (read at
# once: an entry in CLOSE state lives 10 s, less than six Python starts under TCG) names its DEST
mh_expect() {
    local pair bad=0
    for pair in $1; do
        mh_connect "${pair%%:*}" "$2"
        local got; got=$(mh_dest "${pair%%:*}" "$2")
        echo "    ${pair%%:*} (source port $2): $got"
        if [ "$got" != "${pair#*:}" ]; then echo "    ${pair%%:*}: kernel chose '$got', expected ${pair#*:}"; bad=1; fi
    done
    return $bad
}
step6() {
    local c
    modprobe ip_vs_mh 2>/dev/null
    for n in mc md mr; do ip netns add $n; ip -n $n link set lo up; done
    ip link add mcv netns mc type veth peer name mdc netns md
    ip link add mdr netns md type veth peer name mrv netns mr
    for n in mc md mr; do for d in mcv mdc mdr mrv; do ip -n $n link set $d up 2>/dev/null; done; done
    for c in $MH_CLIENTS; do ip -n mc addr add $c/24 dev mcv; done
    ip -n md addr add 198.51.100.1/24 dev mdc
    ip -n md addr add 198.51.100.10/24 dev mdc
    ip -n md addr add 203.0.113.254/24 dev mdr
    for c in 1 2 3; do ip -n mr addr add 203.0.113.$c/24 dev mrv; done
    ip -n mr route add default via 203.0.113.254
    ip netns exec md sysctl -qw net.ipv4.ip_forward=1
    in_ns md ipvsadm -A -t 198.51.100.10:80 -s mh
    for c in 1 2 3; do in_ns md ipvsadm -a -t 198.51.100.10:80 -r 203.0.113.$c:80 -m -w 1; done
    show in_ns md ipvsadm -Ln
    check 6 "mh: each client goes to the real server the user-space plane's mh chooses" mh_expect "$MH_PLAIN" 0
    check 6 "ipvsadm takes the flags as lvsd writes them (-b mh-fallback,mh-port)" \
        in_ns md ipvsadm -E -t 198.51.100.10:80 -s mh -b mh-fallback,mh-port
    show in_ns md ipvsadm -S -n
    check 6 "the kernel saves both flags" eval 'in_ns md ipvsadm -S -n | grep -q -e "-s mh -b mh-fallback,mh-port"'
    in_ns md ipvsadm -E -t 198.51.100.10:80 -s mh -b mh-port
    check 6 "mh-port: each client's port 40000 goes where the user-space plane's mh-port sends it" mh_expect "$MH_PORT" 40000
    for n in mc md mr; do ip netns del $n; done
    echo "# step 6 done"
}

# ---------------------------------------------------------------- step 7: an IPv6 NAT service
# lvsd (backend ipvsadm) in a director namespace of its own, an all-IPv6 lvs.cf:
#   netns v6c 2001:db8::2 --veth-- v6d 2001:db8::1, VIP 2001:db8::10 --veth-- v6sI 2001:db8:I::2 (default via v6d)
SOCK7=$W/lvsd7.sock
v6get() { ip netns exec v6c python3 -c '
import socket
s = socket.create_connection(("2001:db8::10", 80), timeout=5)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
data = b""
while True:
    b = s.recv(4096)
    if not b: break
    data += b
print(data.split(b"\r\n\r\n", 1)[1].decode().strip())' 2>/dev/null; }
has_line7() { ip netns exec v6d ipvsadm -Ln | grep -Eq -e "$1"; }
no_line7()  { ! has_line7 "$1"; }
step7() {
    local i a n1=0 n2=0 other=0 TL rc
    modprobe ip_vs; modprobe ip_vs_rr
    for n in v6c v6d v6s1 v6s2; do
        ip netns add $n
        ip netns exec $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
        ip -n $n link set lo up
    done
    ip netns exec v6d sysctl -qw net.ipv6.conf.all.forwarding=1
    ip link add eth0 netns v6d type veth peer name eth0 netns v6c
    ip -n v6d link set eth0 up; ip -n v6c link set eth0 up
    ip -n v6d -6 addr add 2001:db8::1/64 dev eth0 nodad
    ip -n v6d -6 addr add 2001:db8::10/128 dev eth0 nodad
    ip -n v6c -6 addr add 2001:db8::2/64 dev eth0 nodad
    for i in 1 2; do
        ip link add "eth$i" netns v6d type veth peer name eth0 netns "v6s$i"
        ip -n v6d link set "eth$i" up; ip -n "v6s$i" link set eth0 up
        ip -n v6d -6 addr add "2001:db8:$i::1/64" dev "eth$i" nodad
        ip -n "v6s$i" -6 addr add "2001:db8:$i::2/64" dev eth0 nodad
        ip -n "v6s$i" -6 route add default via "2001:db8:$i::1"
        ip netns exec "v6s$i" python3 "$HERE/rs.py" "rs6$i" 80 :: > "$W/rs6$i.log" 2>&1 &
        echo $! > "$W/rs6$i.pid"
    done
    cat > "$W/lvs6.cf" <<CF
serial_no = 1
primary = 2001:db8::1
service = lvs
backend = ipvsadm
network = nat
virtual web6 {
    active = 1
    address = 2001:db8::10 eth0:1
    vip_nmask = 64
    protocol = tcp
    port = 80
    scheduler = rr
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = $TIMEOUT
    server rs1 {
        address = 2001:db8:1::2
        active = 1
    }
    server rs2 {
        address = 2001:db8:2::2
        active = 1
    }
}
CF
    TL=$(date +%s.%N)
    ip netns exec v6d "$W/bin/lvsd" -n -c "$W/lvs6.cf" --backend=ipvsadm --control-socket "$SOCK7" > "$W/lvsd7.log" 2>&1 &
    LVSD7=$!
    waitfor 400 has_line7 "-> \[2001:db8:2::2\]:80 +Masq +1 " && waitfor 60 has_line7 "-> \[2001:db8:1::2\]:80 +Masq +1 "
    echo "# IPv6 table complete $(elapsed "$TL") s after lvsd start"
    show ip netns exec v6d ipvsadm -Ln
    check 7 "web6: TCP [2001:db8::10]:80 rr" has_line7 "^TCP  \[2001:db8::10\]:80 rr *$"
    check 7 "web6: rs1 and rs2 Masq weight 1" eval 'has_line7 "-> \[2001:db8:1::2\]:80 +Masq +1 " && has_line7 "-> \[2001:db8:2::2\]:80 +Masq +1 "'
    for i in 1 2 3 4; do
        a=$(v6get)
        case $a in rs61) n1=$((n1 + 1)) ;; rs62) n2=$((n2 + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    echo "# 4 requests over IPv6: rs1 $n1, rs2 $n2, other $other"
    check 7 "4 IPv6 connections through the kernel's NAT alternate 2:2 (rr)" test "$n1 $n2 $other" = "2 2 0"
    kill "$(cat "$W/rs62.pid")"
    ts=$(date +%s.%N)
    check 7 "rs2 stopped: it leaves the table (3 check periods)" waitfor $((3 * TIMEOUT + 5)) no_line7 "2001:db8:2::2"
    echo "# rs2 left the table after $(elapsed "$ts") s"
    check 7 "the next request reaches rs1" test "$(v6get)" = rs61
    kill -TERM $LVSD7
    for _ in $(seq 120); do kill -0 $LVSD7 2>/dev/null || break; sleep 0.5; done
    wait $LVSD7; rc=$?
    check 7 "lvsd exits 0 on SIGTERM and removes the IPv6 service" eval 'test $rc = 0 && no_line7 "2001:db8::10"'
    [ $FAILED = 0 ] || { echo "# ---- lvsd (IPv6) output ----"; tail -40 "$W/lvsd7.log" | sed 's/^/# /'; }
    kill "$(cat "$W/rs61.pid")" 2>/dev/null
    for n in v6c v6d v6s1 v6s2; do ip netns del $n; done
    echo "# step 7 done"
}

# ---------------------------------------------------------------- steps 8-10: helpers
# http_get NS ADDRESS: the first line of the body of a GET to ADDRESS:80 from namespace NS
http_get() { ip netns exec "$1" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 80), timeout=5)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
data = b""
while True:
    b = s.recv(4096)
    if not b: break
    data += b
print(data.split(b"\r\n\r\n", 1)[1].decode().strip())' "$2" 2>/dev/null; }
# stop_ns NS...: SIGTERM to every process left in the namespaces, SIGKILL to any still there after 10 s
ns_pids() { local n; for n in "$@"; do ip netns pids "$n" 2>/dev/null; done; }
ns_gone() { [ -z "$(ns_pids "$@")" ]; }
stop_ns() {
    ns_pids "$@" | xargs -r kill -TERM 2>/dev/null
    waitfor 10 ns_gone "$@"
    ns_pids "$@" | xargs -r kill -9 2>/dev/null
}

# ---------------------------------------------------------------- steps 8, 9: direct routing, tunnelling
# lvsd (backend ipvsadm, network = direct or tunnel) in a director namespace; director, client and
# two real servers on one bridge (namespace Psw). Each real server holds the VIP (arp_ignore = 1,
# arp_announce = 2) and answers the client directly:
#   direct routing: the VIP on lo; the director forwards each packet to the server's MAC (Route)
#   tunnelling:     the VIP on tunl0 (ipip, rp_filter = 0: the inner source arrives on tunl0); the
#                   director encapsulates each packet in IPIP to the server's address (Tunnel)
#   Pc 198.51.100.2, Pd 198.51.100.1 + VIP, PsI 198.51.100.1I   (P: dr or tu)
has_fwd() { in_ns "${FWD_NS}d" ipvsadm -Ln | grep -Eq -e "$1"; }
no_fwd()  { ! has_fwd "$1"; }
tun_rx()  { in_ns "$1" cat /sys/class/net/tunl0/statistics/rx_packets 2>/dev/null || echo 0; }
# forwarding_step STEP NETWORK: NETWORK direct or tunnel
forwarding_step() {
    local step=$1 network=$2 p vip fwd via name i n a n1=0 n2=0 other=0 TL ts rc rx1=0 rx2=0 lvsd sock
    if [ "$network" = direct ]; then
        p=dr vip=198.51.100.40 fwd=Route via=lo name="direct routing"
    else
        p=tu vip=198.51.100.50 fwd=Tunnel via=tunl0 name="tunnelling"
        modprobe ipip   # before the namespaces: each new one gets its fallback tunl0
    fi
    FWD_NS=$p
    sock=$W/lvsd$step.sock
    modprobe ip_vs; modprobe ip_vs_rr
    for n in ${p}sw ${p}c ${p}d ${p}s1 ${p}s2; do ip netns add $n; ip -n $n link set lo up; done
    ip -n ${p}sw link add br0 type bridge; ip -n ${p}sw link set br0 up
    for n in ${p}c ${p}d ${p}s1 ${p}s2; do
        ip link add "p-$n" netns ${p}sw type veth peer name eth0 netns $n
        ip -n ${p}sw link set "p-$n" master br0 up
        ip -n $n link set eth0 up
    done
    ip -n ${p}c addr add 198.51.100.2/24 dev eth0
    ip -n ${p}d addr add 198.51.100.1/24 dev eth0
    ip -n ${p}d addr add $vip/32 dev eth0
    for i in 1 2; do
        if [ "$network" = tunnel ]; then
            ip -n "${p}s$i" link show tunl0 > /dev/null 2>&1 || ip -n "${p}s$i" link add tunl0 type ipip
            ip -n "${p}s$i" link set tunl0 up
            ip netns exec "${p}s$i" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
                net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0
        fi
        ip netns exec "${p}s$i" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
            net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
        ip -n "${p}s$i" addr add "198.51.100.1$i/24" dev eth0
        ip -n "${p}s$i" addr add $vip/32 dev $via
        ip netns exec "${p}s$i" python3 "$HERE/rs.py" "${p}s$i" 80 > "$W/${p}s$i.log" 2>&1 &
    done
    cat > "$W/lvs$step.cf" <<CF
serial_no = 1
primary = 198.51.100.1
service = lvs
backend = ipvsadm
network = $network
virtual $p {
    active = 1
    address = $vip eth0:1
    protocol = tcp
    port = 80
    scheduler = rr
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = $TIMEOUT
    server rs1 {
        address = 198.51.100.11
        active = 1
    }
    server rs2 {
        address = 198.51.100.12
        active = 1
    }
}
CF
    TL=$(date +%s.%N)
    ip netns exec ${p}d "$W/bin/lvsd" -n -c "$W/lvs$step.cf" --backend=ipvsadm --control-socket "$sock" > "$W/lvsd$step.log" 2>&1 &
    lvsd=$!
    waitfor 500 has_fwd "-> 198.51.100.12:80 +$fwd +1 " && waitfor 60 has_fwd "-> 198.51.100.11:80 +$fwd +1 "
    echo "# $name table complete $(elapsed "$TL") s after lvsd start"
    show ip netns exec ${p}d ipvsadm -Ln
    show ip netns exec ${p}d ipvsadm -S -n
    check $step "$p: TCP $vip:80 rr" has_fwd "^TCP  $vip:80 rr *$"
    check $step "$p: rs1 and rs2 $fwd weight 1" eval 'has_fwd "-> 198.51.100.11:80 +$fwd +1 " && has_fwd "-> 198.51.100.12:80 +$fwd +1 "'
    if [ "$network" = tunnel ]; then rx1=$(tun_rx ${p}s1); rx2=$(tun_rx ${p}s2); fi
    for i in 1 2 3 4; do
        a=$(http_get ${p}c $vip)
        case $a in "${p}s1") n1=$((n1 + 1)) ;; "${p}s2") n2=$((n2 + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    echo "# 4 requests by $name: rs1 $n1, rs2 $n2, other $other"
    check $step "4 connections by $name (answered by the real servers from the VIP) alternate 2:2" test "$n1 $n2 $other" = "2 2 0"
    if [ "$network" = tunnel ]; then
        echo "# packets received on tunl0: rs1 $rx1 -> $(tun_rx ${p}s1), rs2 $rx2 -> $(tun_rx ${p}s2)"
        check $step "the requests reached each real server encapsulated (its tunl0 counted packets)" \
            eval 'test "$(tun_rx ${p}s1)" -gt "$rx1" -a "$(tun_rx ${p}s2)" -gt "$rx2"'
    fi
    check $step "the real servers kept the VIP to themselves (the client's neighbour entry is the director's)" \
        eval 'ip -n ${p}c neigh show $vip | grep -q "$(mac_of ${p}d eth0)"'
    stop_ns ${p}s2
    ts=$(date +%s.%N)
    check $step "rs2 stopped: it leaves the table (3 check periods)" waitfor $((3 * TIMEOUT + 5)) no_fwd "198.51.100.12:80"
    echo "# rs2 left the table after $(elapsed "$ts") s"
    check $step "the next request reaches rs1" test "$(http_get ${p}c $vip)" = ${p}s1
    kill -TERM $lvsd
    for _ in $(seq 120); do kill -0 $lvsd 2>/dev/null || break; sleep 0.5; done
    wait $lvsd; rc=$?
    show ip netns exec ${p}d ipvsadm -Ln
    check $step "lvsd exits 0 on SIGTERM and removes the service" eval 'test $rc = 0 && no_fwd "$vip"'
    [ $FAILED = 0 ] || { echo "# ---- lvsd ($name) output ----"; tail -40 "$W/lvsd$step.log" | sed 's/^/# /'; }
    stop_ns ${p}s1
    for n in ${p}sw ${p}c ${p}d ${p}s1 ${p}s2; do ip netns del $n; done
    echo "# step $step done"
}
step8() { forwarding_step 8 direct; }
step9() { forwarding_step 9 tunnel; }

# ---------------------------------------------------------------- step 10: the private heartbeat path
# Two directors running pulse (cold standby: the backup's lvsd starts at its takeover), with a
# second link between them alone for the private heartbeat path (namespace hpsw, two bridges):
#   public  198.51.100.0/24 (br0): hpd1 .121, hpd2 .122, client hpc .123, real server hps .124
#           (VIP on lo, direct routing), VIP .130 (floating)
#   private 203.0.113.0/24 (br1):  hpd1 .121, hpd2 .122 (primary_private, backup_private)
# The paths are cut by iptables in hpd2 (heartbeat UDP to and from hpd1's address of the path):
# no link goes down, so nothing but the heartbeats is affected.
D10=$W/hb
HVIP=198.51.100.130
HDEAD=10
hp_ns="hpsw hpd1 hpd2 hpc hps"
# hp_status D EXPR: the value of EXPR over pulse's status on director D
hp_status() { timeout 30 python3 "$HERE/ctl.py" "$D10/d$1/pulse.sock" '{"cmd":"status"}' "$2" 2>/dev/null; }
# hp_is D EXPR VALUE: asked every 5 s at most (each question is a Python start in the guest)
hp_is() { [ "$(hp_status "$1" "$2")" = "$3" ] && return 0; sleep 4; return 1; }
# state|partner|silent paths, e.g. "standby|running|public"
HP_SPS='"|".join([r["state"], r["partner"], ",".join(r.get("pathsSilent") or [])])'
hp_line() { in_ns "$1" ipvsadm -Ln | grep -Eq -e "$2"; }
hp_table() { hp_line "$1" "^TCP  $HVIP:80 rr *$" && hp_line "$1" "-> 198.51.100.124:80 +Route +1 "; }
hp_noservice() { [ -z "$(in_ns "$1" ipvsadm -Ln | grep -E '^(TCP|UDP|FWM) ')" ]; }
# hp_cut PEER_ADDRESS: heartbeats to and from the partner's address of one path dropped in hpd2
hp_cut() {
    in_ns hpd2 iptables -A INPUT -s "$1" -p udp --dport 539 -j DROP
    in_ns hpd2 iptables -A OUTPUT -d "$1" -p udp --dport 539 -j DROP
}
hp_dropped() { in_ns hpd2 iptables -L INPUT -v -n -x | awk -v a="$1" '$3 == "DROP" && $8 == a { print $1; exit }'; }
hp_log_count() { grep -c -F -e "$2" "$D10/d$1/pulse.log"; }

lvs_cf10() {
    cat <<CF
serial_no = 1
primary = 198.51.100.121
primary_private = 203.0.113.121
backup = 198.51.100.122
backup_private = 203.0.113.122
backup_active = 1
service = lvs
heartbeat_port = 539
keepalive = 1
deadtime = $HDEAD
network = direct
backend = ipvsadm
ipvsadm = /usr/sbin/ipvsadm
lvsd_warm_standby = 0
lvsd_ready_timeout = 400
garp_count = 3
garp_interval = 1
virtual web {
    active = 1
    address = $HVIP eth0:1
    protocol = tcp
    port = 80
    scheduler = rr
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = 10
    reentry = 10
    server rs {
        address = 198.51.100.124
        active = 1
    }
}
CF
}

lab10() {
    local n d
    for n in $hp_ns; do ip netns add $n; ip -n $n link set lo up; done
    ip -n hpsw link add br0 type bridge; ip -n hpsw link set br0 up
    ip -n hpsw link add br1 type bridge; ip -n hpsw link set br1 up
    for n in hpd1 hpd2 hpc hps; do
        ip link add "p-$n" netns hpsw type veth peer name eth0 netns $n
        ip -n hpsw link set "p-$n" master br0 up
        ip -n $n link set eth0 up
    done
    for d in 1 2; do
        ip link add "q-hpd$d" netns hpsw type veth peer name eth1 netns "hpd$d"
        ip -n hpsw link set "q-hpd$d" master br1 up
        ip -n "hpd$d" link set eth1 up
        ip -n "hpd$d" addr add "198.51.100.12$d/24" dev eth0
        ip -n "hpd$d" addr add "203.0.113.12$d/24" dev eth1
        mkdir -p "$D10/d$d"
        : > "$D10/d$d/pulse.log"
    done
    ip -n hpc addr add 198.51.100.123/24 dev eth0
    ip -n hps addr add 198.51.100.124/24 dev eth0
    ip -n hps addr add $HVIP/32 dev lo
    ip netns exec hps sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
        net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
    ip netns exec hps python3 "$HERE/rs.py" hps 80 > "$W/hps.log" 2>&1 &
    waitfor 30 in_ns hps nc -z 198.51.100.124 80 || echo "# real server hps did not come up"
    lvs_cf10 > "$D10/lvs.cf"
}


fail_dump10() {
    local d
    for d in 1 2; do
        echo "# ---- hpd$d: pulse and lvsd output (last 40 lines) ----"; tail -40 "$D10/d$d/pulse.log" 2>/dev/null | sed 's/^/# /'
        echo "# ---- hpd$d: pulse status; ipvsadm -Ln; ip addr ----"
        { hp_status $d r; in_ns "hpd$d" ipvsadm -Ln; ip -n "hpd$d" -4 addr; } 2>&1 | sed 's/^/# /'
    done
    echo "# ---- hpd2: iptables ----"; in_ns hpd2 iptables -L -v -n -x 2>&1 | sed 's/^/# /'
}

reach10() { reach_in 10 fail_dump10 "$@"; }

end10() {
    local n
    stop_ns hpd1 hpd2 hpc hps
    for n in $hp_ns; do ip netns del $n; done
}

step10() {
    local t took until moved=no mac1 mac2 pub prv
    modprobe ip_vs; modprobe ip_vs_rr
    lab10
    echo "# step 10 lab ready"
    mac1=$(mac_of hpd1 eth0); mac2=$(mac_of hpd2 eth0)
    # the primary alone activates after deadtime; the backup starts once the primary is complete
    start_pulse hpd1 "$D10/lvs.cf" "$D10/d1"
    reach10 500 "hpd1 (pulse active, lvsd ready) plumbed the VIP" ns_has_addr hpd1 eth0 $HVIP || { end10; return; }
    reach10 120 "hpd1's table complete" hp_table hpd1 || { end10; return; }
    start_pulse hpd2 "$D10/lvs.cf" "$D10/d2"
    reach10 400 "hpd2's pulse hears hpd1 running" hp_is 2 "r.get('partner')" running || { end10; return; }
    reach10 60 "hpd2 hears hpd1 on both paths" hp_is 2 \
        "sorted(p['name'] for p in r['paths'] if p['lastHeartbeatAgeMs'] is not None and p['lastHeartbeatAgeMs'] < $((HDEAD * 1000)))" \
        "['private', 'public']" || { end10; return; }
    show hp_status 2 "r['paths']"
    check 10 "hpd2 (backup) is standby, hears hpd1 running on both paths, none silent" hp_is 2 "$HP_SPS" "standby|running|"
    check 10 "hpd1 holds the VIP, its kernel the service (rr, the real server Route)" eval 'ns_has_addr hpd1 eth0 $HVIP && hp_table hpd1'
    check 10 "hpd2 holds no VIP and its kernel no service" eval '! ns_has_addr hpd2 eth0 $HVIP && hp_noservice hpd2'
    check 10 "a request to the VIP is answered through hpd1" test "$(http_get hpc $HVIP)" = hps

    # the public path cut: heartbeats go on over the private link alone
    hp_cut 198.51.100.121
    t=$(date +%s.%N)
    reach10 $((HDEAD + 60)) "hpd2 shows the public path silent" hp_is 2 "r.get('pathsSilent')" "['public']" || { end10; return; }
    took=$(elapsed "$t")
    # several deadtimes more with the public path cut: the VIP must stay where it is
    until=$(( $(date +%s) + 3 * HDEAD ))
    while [ "$(date +%s)" -lt "$until" ]; do
        ns_has_addr hpd2 eth0 $HVIP && { moved=yes; break; }
        sleep 0.5
    done
    pub=$(hp_dropped 198.51.100.121)
    show hp_status 2 "r['paths']"
    check 10 "public path cut: hpd2 shows it silent after $took s (deadtime $HDEAD s), status pathsSilent [public]" \
        hp_is 2 "r.get('pathsSilent')" "['public']"
    check 10 "hpd1 shows its public path silent too" hp_is 1 "$HP_SPS" "active|stopped|public"
    check 10 "the cut is real: the kernel dropped $pub heartbeats from hpd1's public address" test "${pub:-0}" -gt 0
    check 10 "no failover over $((3 * HDEAD)) s more (3 deadtimes): hpd2 never took the VIP" test $moved = no
    check 10 "hpd2 still standby, partner running, public path silent" hp_is 2 "$HP_SPS" "standby|running|public"
    check 10 "hpd1 still holds the VIP" ns_has_addr hpd1 eth0 $HVIP
    grep -F -e "heartbeat path public" "$D10/d2/pulse.log" | sed 's/^/    hpd2: /'
    check 10 "hpd2 logged the silent public path once" \
        test "$(hp_log_count 2 "heartbeat path public to 198.51.100.121 silent for deadtime; partner still heard on the private path")" = 1
    check 10 "hpd2 never declared its partner dead" test "$(hp_log_count 2 "partner dead")" = 0

    # the private path cut as well: the partner is dead, the backup takes over
    hp_cut 203.0.113.121
    t=$(date +%s.%N)
    reach10 500 "hpd2 took the VIP" ns_has_addr hpd2 eth0 $HVIP || { end10; return; }
    took=$(elapsed "$t")
    waitfor 120 hp_table hpd2
    echo "# hpd2 took the VIP $took s after the private path's cut, its table complete after $(elapsed "$t") s"
    waitfor 30 neigh_is hpc $HVIP "$mac2"
    prv=$(hp_dropped 203.0.113.121)
    echo "\$ ip netns exec hpd2 ipvsadm -Ln; ip -4 addr"
    { in_ns hpd2 ipvsadm -Ln; ip -n hpd2 -4 addr show; } | sed 's/^/    /'
    check 10 "both paths cut: hpd2 took the VIP after $took s (deadtime $HDEAD s, then lvsd's start)" ns_has_addr hpd2 eth0 $HVIP
    check 10 "hpd2 logged its partner dead ($prv heartbeats dropped on the private path)" \
        eval 'test "$(hp_log_count 2 "partner dead: activating lvs")" = 1 -a "${prv:-0}" -gt 0'
    check 10 "hpd2's kernel: TCP $HVIP:80 rr with the real server Route" hp_table hpd2
    check 10 "the client's neighbour entry for the VIP moved to hpd2 ($mac2)" neigh_is hpc $HVIP "$mac2"
    check 10 "a request to the VIP is answered through hpd2" test "$(http_get hpc $HVIP)" = hps

    # both paths back: the dual-active directors resolve it, the primary keeps the VIP
    in_ns hpd2 iptables -F INPUT; in_ns hpd2 iptables -F OUTPUT
    t=$(date +%s.%N)
    reach10 120 "hpd2 gave the VIP back" eval '! ns_has_addr hpd2 eth0 $HVIP' || { end10; return; }
    took=$(elapsed "$t")
    waitfor 60 hp_is 2 "r['state']" standby
    waitfor 30 neigh_is hpc $HVIP "$mac1"
    waitfor 60 hp_noservice hpd2
    check 10 "paths restored: hpd2 yields (standby, VIP released after $took s), hpd1 keeps the VIP" \
        eval 'hp_is 2 "r[\"state\"]" standby && ! ns_has_addr hpd2 eth0 $HVIP && ns_has_addr hpd1 eth0 $HVIP'
    check 10 "hpd2's lvsd stopped and took its table down (cold standby)" hp_noservice hpd2
    check 10 "the client's neighbour entry for the VIP is hpd1's again ($mac1)" neigh_is hpc $HVIP "$mac1"
    [ $FAILED = 0 ] || fail_dump10

    kill -TERM "$(cat "$D10/d1/pulse.pid")" "$(cat "$D10/d2/pulse.pid")"
    waitfor 120 eval 'ns_empty hpd1 && ns_empty hpd2'
    check 10 "both pulses (and hpd1's lvsd) exit on SIGTERM; hpd1 released the VIP and its table" \
        eval 'ns_empty hpd1 && ns_empty hpd2 && ! ns_has_addr hpd1 eth0 $HVIP && hp_noservice hpd1'
    end10
    echo "# step 10 done"
}

# ---------------------------------------------------------------- step 12: a connection moved to another director
# Two directors with the same mh table (ipvsadm by hand, no daemon) in direct routing, as
# active-active directors behind an ECMP router run them: the client's route to the VIP moves from
# A to B (as a router's does when A's BGP route goes); B has no entry for the connections, and with
# sloppy_tcp it schedules their next non-SYN packet, to the real server mh chose on A.
#   one bridge: mmc 198.51.100.2 (client and router), mma .11, mmb .12 (directors, VIP .100 on lo),
#   mm1 .21, mm2 .22 (real servers: VIP on lo, arp_ignore 1, arp_announce 2, answer the client directly)
MVIP=198.51.100.100
mm_ns="mmc mma mmb mm1 mm2"
mm_table() {    # mm_table DIRECTOR: the service as lvsd writes it for scheduler = mh (mh-port: each connection hashed apart)
    in_ns "$1" ipvsadm -A -t $MVIP:80 -s mh -b mh-port
    in_ns "$1" ipvsadm -a -t $MVIP:80 -r 198.51.100.21:80 -g -w 1
    in_ns "$1" ipvsadm -a -t $MVIP:80 -r 198.51.100.22:80 -g -w 1
}
mm_run() {      # mm_run NAME N FIRST_PORT: connections through the client's current route, in the background
    rm -f "$W/$1.go" "$W/$1.ready" "$W/$1.out"
    in_ns mmc python3 "$HERE/moveconns.py" $MVIP 80 "$2" "$3" "$W/$1.go" "$W/$1.ready" > "$W/$1.out" 2>&1 &
    echo $! > "$W/$1.pid"
    waitfor 60 test -e "$W/$1.ready"
}
mm_finish() {   # mm_finish NAME: "after" on each (at most 8 s each), and the results
    touch "$W/$1.go"
    wait "$(cat "$W/$1.pid")"
    sed 's/^/    /' "$W/$1.out"
}
mm_same()      { [ "$(grep -c . "$W/$1.out")" = "$2" ] && ! grep -v 'before=\(mrs[12]\) after=\1$' "$W/$1.out" | grep -q .; }
mm_none()      { [ "$(grep -c . "$W/$1.out")" = "$2" ] && ! grep -q 'after=mrs' "$W/$1.out"; }
mm_both()      { grep -q 'before=mrs1$' "$W/$1.ready" && grep -q 'before=mrs2$' "$W/$1.ready"; }
mm_entries()   { [ "$(in_ns "$1" ipvsadm -Lnc | awk -v v="$MVIP:80" '$1 == "TCP" && $4 ~ /^198\.51\.100\.2:/ && $5 == v' | wc -l)" -ge "$2" ]; }
step12() {
    local n i
    modprobe ip_vs_mh 2>/dev/null
    ip link add mmbr type bridge && ip link set mmbr up
    i=0
    for n in $mm_ns; do
        ip netns add $n; ip -n $n link set lo up
        ip link add mm$i type veth peer name eth0 netns $n
        ip link set mm$i master mmbr up; ip -n $n link set eth0 up
        i=$((i + 1))
    done
    ip -n mmc addr add 198.51.100.2/24 dev eth0
    ip -n mma addr add 198.51.100.11/24 dev eth0
    ip -n mmb addr add 198.51.100.12/24 dev eth0
    ip -n mm1 addr add 198.51.100.21/24 dev eth0
    ip -n mm2 addr add 198.51.100.22/24 dev eth0
    ip netns exec mmc sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
    for n in mma mmb mm1 mm2; do ip -n $n addr add $MVIP/32 dev lo; done
    for n in mm1 mm2; do ip netns exec $n sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2; done
    in_ns mm1 python3 "$HERE/rs.py" mrs1 80 > "$W/mrs1.log" 2>&1 & echo $! > "$W/mrs1.pid"
    in_ns mm2 python3 "$HERE/rs.py" mrs2 80 > "$W/mrs2.log" 2>&1 & echo $! > "$W/mrs2.pid"
    for n in mma mmb; do
        ip netns exec $n sysctl -qw net.ipv4.vs.sloppy_tcp=1
        mm_table $n
    done
    show in_ns mma ipvsadm -Ln
    ip -n mmc route add $MVIP/32 via 198.51.100.11
    waitfor 30 eval 'in_ns mm1 ss -Htln | grep -q ":80 " && in_ns mm2 ss -Htln | grep -q ":80 "'

    mm_run moved 8 41000
    check 12 "8 connections through director A, spread over both real servers by mh" mm_both moved
    check 12 "A's kernel has the 8 connections" mm_entries mma 8
    check 12 "B's kernel has none of them yet" eval '! mm_entries mmb 1'
    ip -n mmc route replace $MVIP/32 via 198.51.100.12   # the router moves the flows to B
    mm_finish moved
    check 12 "after the move to B every connection carries data, to the same real server (mh + sloppy_tcp)" mm_same moved 8
    show in_ns mmb ipvsadm -Lnc
    check 12 "B's kernel scheduled them without a SYN (sloppy_tcp)" mm_entries mmb 8

    # the control: without sloppy_tcp a director drops what it has no entry for
    mm_run control 4 42000
    ip netns exec mma sysctl -qw net.ipv4.vs.sloppy_tcp=0
    ip -n mmc route replace $MVIP/32 via 198.51.100.11
    mm_finish control
    check 12 "the control: moved back to A without sloppy_tcp, no connection gets an answer" mm_none control 4

    kill "$(cat "$W/mrs1.pid")" "$(cat "$W/mrs2.pid")" 2>/dev/null
    for n in $mm_ns; do ip netns del $n; done
    ip link del mmbr
    echo "# step 12 done"
}

# ---------------------------------------------------------------- stop lvsd (steps 0, 1)
stop_lvsd() {
    local i=0 rc
    kill -TERM $LVSD
    while kill -0 $LVSD 2>/dev/null && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
    wait $LVSD; rc=$?
    show ipvsadm -Ln
    check 0 "lvsd exits 0 on SIGTERM" test $rc = 0
    check 1 "lvsd removed its services on stop" test "$(ipvsadm -S -n | grep -c '^-A')" = 1
    check 1 "the foreign service survived lvsd's stop" has_line "^TCP  $FOREIGN:80 lc *$"
}

# ---------------------------------------------------------------- step 11: IPv6 direct routing, pulse
# Two directors running pulse (which starts lvsd, backend ipvsadm, network = direct) with an
# all-IPv6 lvs.cf; directors, client and real servers on one bridge (namespace s11sw, multicast
# snooping off), all in 2001:db8::/64:
#   s11d1 ::101 (primary), s11d2 ::102 (backup), client s11c ::103, real servers s11rI ::11I,
#   VIP 2001:db8::110 (floating; pulse adds it nodad and deprecated)
# IPv6 has no arp_ignore: Linux answers a neighbour solicitation only for an address of the
# interface it arrived on, so a real server holding the VIP on lo (/128) never advertises it, and
# picks its eth0 address (rule 5 of RFC 6724, the outgoing interface) as the source of its own
# solicitations. No sysctl is needed for it; the step checks that nobody answers for the VIP
# before a director holds it.
D11=$W/ha11
VIP11=2001:db8::110
v11get() { ip netns exec s11c python3 -c '
import socket
s = socket.create_connection(("2001:db8::110", 80), timeout=5)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
data = b""
while True:
    b = s.recv(4096)
    if not b: break
    data += b
print(data.split(b"\r\n\r\n", 1)[1].decode().strip())' 2>/dev/null; }
ns_has_line11() { in_ns "$1" ipvsadm -Ln | grep -Eq -e "$2"; }
ns_has_vip11()  { ip -n "$1" -6 addr show dev eth0 | grep -q "inet6 $VIP11/"; }
no_service11()  { [ -z "$(in_ns "$1" ipvsadm -Ln | grep -E '^(TCP|UDP|FWM) ')" ]; }
table11()       { ns_has_line11 "$1" "-> \[2001:db8::111\]:80 +Route +1 " && ns_has_line11 "$1" "-> \[2001:db8::112\]:80 +Route +1 "; }
neigh11()       { ip -n s11c -6 neigh show $VIP11; }
pulse11_is()    {   # as pulse_is: asked every 5 s at most
    [ "$(timeout 30 python3 "$HERE/ctl.py" "$D11/dir$1/pulse.sock" '{"cmd":"status"}' "r.get('$2')" 2>/dev/null)" = "$3" ] && return 0
    sleep 4; return 1
}
# conns11 NS: the kernel's connection counter of the service (--stats; refreshed every 2 s)
conns11()       { in_ns "$1" ipvsadm -Ln --stats | awk '$1 == "TCP" && $2 == "[2001:db8::110]:80" { print $3; exit }'; }
# lnc_dest11 NS RS: the kernel's connection entries (-Lnc) from the client to the VIP, sent to RS
lnc_dest11()    { in_ns "$1" ipvsadm -Lnc | awk -v rs="2001:db8::11$2[]]?:80$" '$1 == "TCP" && $4 ~ /2001:db8::103/ && $5 ~ /2001:db8::110/ && $6 ~ rs' | wc -l; }
na_count11()    { grep -c " in NA from $1 to ff02::1 flags O$" "$D11/nd.log"; }

lvs_cf11() {
    cat <<CF
serial_no = 1
primary = 2001:db8::101
backup = 2001:db8::102
backup_active = 1
service = lvs
heartbeat_port = 539
keepalive = 1
deadtime = 5
network = direct
backend = ipvsadm
ipvsadm = /usr/sbin/ipvsadm
lvsd_ready_timeout = 400
garp_count = 5
garp_interval = 1
virtual web6 {
    active = 1
    address = $VIP11 eth0:1
    vip_nmask = 64
    protocol = tcp
    port = 80
    scheduler = rr
    send = "GET / HTTP/1.0\r\n\r\n"
    expect = "HTTP"
    timeout = 10
    reentry = 10
    server rs1 {
        address = 2001:db8::111
        active = 1
    }
    server rs2 {
        address = 2001:db8::112
        active = 1
    }
}
CF
}

# ndwatch11 STOPFILE: on the client's eth0, every neighbour solicitation and advertisement for the
# VIP, sent (out) or received (in), one line each: time, direction, NS/NA, source MAC, destination,
# flags (R router, S solicited, O override); ends at STOPFILE or after 900 s
ndwatch11() {
    ip netns exec s11c python3 - "$1" <<'PY' > "$D11/nd.log" 2>&1 &
import os, select, socket, sys, time
stop = sys.argv[1]
target = socket.inet_pton(socket.AF_INET6, "2001:db8::110")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))   # ETH_P_ALL: outgoing too
s.bind(("eth0", 0))
print("listening", flush=True)
end = time.time() + 900
while time.time() < end and not os.path.exists(stop):
    if not select.select([s], [], [], 1.0)[0]:
        continue
    f, a = s.recvfrom(2048)
    # Ethernet, IPv6 with ICMPv6 as its next header, an NS (135) or NA (136) whose target is the VIP
    if len(f) < 78 or f[12:14] != b"\x86\xdd" or f[20] != 58 or f[54] not in (135, 136) or f[62:78] != target:
        continue
    flags = "".join(c for c, bit in (("R", 0x80), ("S", 0x40), ("O", 0x20)) if f[58] & bit) or "-"
    print("%.3f %s %s from %s to %s flags %s" % (time.time(), "out" if a[2] == socket.PACKET_OUTGOING else "in",
          "NS" if f[54] == 135 else "NA", ":".join("%02x" % b for b in f[6:12]),
          socket.inet_ntop(socket.AF_INET6, f[38:54]), flags), flush=True)
PY
    echo $! > "$D11/nd.pid"
}

lab11() {
    local n i
    modprobe ip_vs; modprobe ip_vs_rr
    for n in s11sw s11d1 s11d2 s11c s11r1 s11r2; do
        ip netns add $n
        # no DAD; ndisc_notify 0 (the default, made sure of): the kernel sends no advertisement of
        # its own when an address is added, so any the client receives are pulse's
        ip netns exec $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.all.ndisc_notify=0 net.ipv6.conf.default.ndisc_notify=0
        ip -n $n link set lo up
    done
    ip -n s11sw link add br0 type bridge mcast_snooping 0
    ip -n s11sw link set br0 up
    for n in s11d1 s11d2 s11c s11r1 s11r2; do
        ip link add "p-$n" netns s11sw type veth peer name eth0 netns $n
        ip -n s11sw link set "p-$n" master br0 up
        ip -n $n link set eth0 up
    done
    ip -n s11d1 -6 addr add 2001:db8::101/64 dev eth0 nodad
    ip -n s11d2 -6 addr add 2001:db8::102/64 dev eth0 nodad
    ip -n s11c -6 addr add 2001:db8::103/64 dev eth0 nodad
    for i in 1 2; do
        ip -n "s11r$i" -6 addr add "2001:db8::11$i/64" dev eth0 nodad
        ip -n "s11r$i" -6 addr add $VIP11/128 dev lo nodad
        ip netns exec "s11r$i" python3 "$HERE/rs.py" "rs11$i" 80 :: > "$W/rs11$i.log" 2>&1 &
    done
    mkdir -p "$D11/dir1" "$D11/dir2"
    lvs_cf11 > "$D11/lvs.cf"
    for i in 1 2; do waitfor 30 in_ns "s11r$i" nc -z "2001:db8::11$i" 80 || echo "# real server rs11$i did not come up"; done
}


fail_dump11() {
    local d
    for d in 1 2; do
        echo "# ---- s11d$d: pulse and lvsd output (last 40 lines) ----"; tail -40 "$D11/dir$d/pulse.log" 2>/dev/null | sed 's/^/# /'
        echo "# ---- s11d$d: ipvsadm -Ln, -Lnc; ip -6 addr ----"
        { in_ns "s11d$d" ipvsadm -Ln; in_ns "s11d$d" ipvsadm -Lnc; ip -n "s11d$d" -6 addr show dev eth0; } 2>&1 | sed 's/^/# /'
    done
    echo "# ---- client: ip -6 neigh; NS/NA for the VIP ----"
    { ip -n s11c -6 neigh; cat "$D11/nd.log"; } 2>&1 | sed 's/^/# /'
}

reach11() { reach_in 11 fail_dump11 "$@"; }

stop11() {
    local n
    touch "$D11/nd.stop"
    for n in s11d1 s11d2 s11c s11r1 s11r2 s11sw; do ip netns pids "$n" | xargs -r kill -9; done
    for n in s11d1 s11d2 s11c s11r1 s11r2 s11sw; do ip netns del "$n"; done
}

step11() {
    local i a n1 n2 other t took mac1 mac2 before after out
    lab11
    echo "# step 11 lab ready after $(elapsed "$T0") s"
    mac1=$(mac_of s11d1 eth0); mac2=$(mac_of s11d2 eth0)
    echo "    dir1 eth0 $mac1, dir2 eth0 $mac2"
    # no director yet: a solicitation for the VIP goes unanswered (the real servers keep it to themselves)
    ip netns exec s11c ping -6 -c 1 -W 4 $VIP11 > /dev/null 2>&1
    show ip -n s11c -6 neigh show $VIP11
    check 11 "before any director holds the VIP nobody answers for it (the real servers hold it on lo only)" \
        eval '! neigh11 | grep -q lladdr'
    ip -n s11c -6 neigh flush dev eth0

    # the primary alone activates after deadtime; the backup starts once the primary is complete
    start_pulse s11d1 "$D11/lvs.cf" "$D11/dir1"
    reach11 500 "dir1 (pulse active, lvsd ready) plumbed the VIP" ns_has_vip11 s11d1 || { stop11; return; }
    reach11 120 "dir1's table complete" table11 s11d1 || { stop11; return; }
    start_pulse s11d2 "$D11/lvs.cf" "$D11/dir2"
    reach11 400 "dir2's pulse hears dir1 running" pulse11_is 2 partner running || { stop11; return; }
    echo "\$ ip netns exec s11d1 ipvsadm -Ln; ip -6 addr show dev eth0"
    { in_ns s11d1 ipvsadm -Ln; ip -n s11d1 -6 addr show dev eth0; } | sed 's/^/    /'
    check 11 "dir2 (backup) is standby and hears dir1 running" eval 'pulse11_is 2 state standby && pulse11_is 2 partner running'
    check 11 "dir1 (primary) holds the VIP $VIP11 on eth0" ns_has_vip11 s11d1
    check 11 "the VIP is deprecated on dir1: never the source of its own connections" \
        eval 'ip -n s11d1 -6 addr show dev eth0 | grep "inet6 $VIP11/" | grep -q deprecated'
    check 11 "dir1's kernel: TCP [$VIP11]:80 rr" ns_has_line11 s11d1 "^TCP  \[$VIP11\]:80 rr *$"
    check 11 "dir1's kernel: rs1 and rs2 Route weight 1" table11 s11d1
    check 11 "dir2 holds no VIP and its kernel no service" eval '! ns_has_vip11 s11d2 && no_service11 s11d2'

    n1=0; n2=0; other=0
    for i in 1 2 3 4; do
        a=$(v11get)
        case $a in rs111) n1=$((n1 + 1)) ;; rs112) n2=$((n2 + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    echo "# 4 requests through dir1: rs1 $n1, rs2 $n2, other $other"
    check 11 "4 connections through dir1 by direct routing alternate 2:2 (rr)" test "$n1 $n2 $other" = "2 2 0"
    waitfor 10 eval '[ "$(conns11 s11d1)" -ge 4 ] 2>/dev/null'
    before=$(conns11 s11d1)
    show ip -n s11c -6 neigh show $VIP11
    check 11 "the client's neighbour entry for the VIP is dir1's MAC ($mac1)" eval 'neigh11 | grep -q "lladdr $mac1 "'

    # From here the client sends nothing to the VIP until its entry is read again. The entry must
    # be settled (REACHABLE or STALE: no probe due), the watch on its NS/NA running.
    waitfor 30 eval 'neigh11 | grep -Eq "REACHABLE|STALE"'
    rm -f "$D11/nd.stop"
    ndwatch11 "$D11/nd.stop"
    waitfor 60 grep -q listening "$D11/nd.log"

    # kill -9 of everything in dir1 (pulse, lvsd): its kernel keeps the VIP and its table, and
    # would still answer a solicitation for the VIP; only dir2's unsolicited advertisement
    # (override flag) can move the client's entry to dir2
    echo "    kill -9 of dir1's processes: $(ip netns pids s11d1 | paste -sd' ')"
    t=$(date +%s.%N)
    ip netns pids s11d1 | xargs -r kill -9
    waitfor 30 ns_empty s11d1
    reach11 500 "dir2 took the VIP" ns_has_vip11 s11d2 || { stop11; return; }
    took=$(elapsed "$t")
    waitfor 120 table11 s11d2
    echo "# dir2 took the VIP $took s after the kill, its table complete after $(elapsed "$t") s"
    waitfor 30 eval 'neigh11 | grep -q "lladdr $mac2 "'
    waitfor 30 eval '[ "$(na_count11 "$mac2")" -ge 5 ]'   # garp_count = 5, garp_interval = 1
    touch "$D11/nd.stop"
    show ip -n s11c -6 neigh show $VIP11
    echo "\$ NS/NA for $VIP11 on the client's eth0 since the kill"
    sed 's/^/    /' "$D11/nd.log"
    echo "\$ ip netns exec s11d2 ipvsadm -Ln; ip -6 addr show dev eth0"
    { in_ns s11d2 ipvsadm -Ln; ip -n s11d2 -6 addr show dev eth0; } | sed 's/^/    /'
    check 11 "dir2 took the VIP (after $took s: deadtime 5 s, then lvsd's start under TCG)" ns_has_vip11 s11d2
    check 11 "dir1's kernel still holds the VIP (killed daemons remove nothing)" ns_has_vip11 s11d1
    check 11 "dir2's kernel: TCP [$VIP11]:80 rr" ns_has_line11 s11d2 "^TCP  \[$VIP11\]:80 rr *$"
    check 11 "dir2's kernel: rs1 and rs2 Route weight 1" table11 s11d2
    check 11 "the client's neighbour entry for the VIP moved to dir2 ($mac2) while the client sent nothing" \
        eval 'neigh11 | grep -q "lladdr $mac2 "'
    check 11 "the client received dir2's unsolicited neighbour advertisements, garp_count = 5 of them (to ff02::1, override, not solicited)" \
        test "$(na_count11 "$mac2")" -ge 5
    check 11 "the client sent no solicitation for the VIP between the kill and the move" \
        eval '! grep -q " out NS " "$D11/nd.log"'

    n1=0; n2=0; other=0
    for i in 1 2; do
        a=$(v11get)
        case $a in rs111) n1=$((n1 + 1)) ;; rs112) n2=$((n2 + 1)) ;; *) other=$((other + 1)) ;; esac
    done
    echo "# 2 requests after the failover: rs1 $n1, rs2 $n2, other $other"
    check 11 "2 new connections reach rs1 and rs2 (rr)" test "$n1 $n2 $other" = "1 1 0"
    show ip netns exec s11d2 ipvsadm -Lnc
    check 11 "they went through dir2: its kernel holds a connection from the client to each real server" \
        eval 'test "$(lnc_dest11 s11d2 1)" -ge 1 -a "$(lnc_dest11 s11d2 2)" -ge 1'
    sleep 3   # the counters' 2 s estimator
    after=$(conns11 s11d1)
    check 11 "dir1's kernel counted none of them ($before -> $after)" test "$after" = "$before"
    [ $FAILED = 0 ] || fail_dump11

    # the survivor stops cleanly
    kill -TERM "$(cat "$D11/dir2/pulse.pid")"
    waitfor 120 ns_empty s11d2
    check 11 "dir2's pulse and lvsd exit on SIGTERM" ns_empty s11d2
    check 11 "dir2 released the VIP and its kernel's service" eval '! ns_has_vip11 s11d2 && no_service11 s11d2'
    stop11
    echo "# step 11 done"
}

STEPS14=$(for s in $STEPS; do case $s in 1|2|3|4) echo "$s" ;; esac; done)
launcher lvsd
launcher pulse
[ -n "$STEPS14" ] && lab_and_lvsd
for s in $STEPS; do
    case $s in
        1|2|3|4|5|6|7|8|9|10|11|12) echo "# step $s"; ts=$(date +%s.%N); "step$s"; echo "# step $s took $(elapsed "$ts") s" ;;
        *) notok 0 "unknown step '$s' (1-12)" ;;
    esac
    # lvsd of steps 1-4 stops before step 5, which runs two directors of its own
    if [ "$s" = "$(echo $STEPS14 | awk '{print $NF}')" ]; then stop_lvsd; fi
done
[ $FAILED = 0 ] || fail_dump
echo "# suite took $(elapsed "$T0") s in the guest"
exit $FAILED
