#!/usr/bin/env python3
"""Many short flows to a VIP from many source addresses, each a new TCP connection (a new ECMP hash).

run VIP PORT SOURCES DURATION CONCURRENCY OUT [KILL_AT SIGNAL PID...]
    records one line per flow in OUT: start end source answer (or ERROR reason [via=DIRECTOR] when the
    reply's headers had named the director before the flow failed), times on CLOCK_MONOTONIC;
    with KILL_AT, sends SIGNAL to the PIDs that many seconds in and records the moment as "SIGNAL t".
analyze OUT VICTIM [ROUTES]
    ROUTES: the router's `ip -ts monitor route` output (the first change of the VIP's route after the
    signal is when the withdraw reached the router's FIB); prints a JSON summary: flows, errors, directors seen, per-source consistency of the real server,
    and for the victim director the time from the signal to the last flow that reached it or failed;
    errors_on_survivors: failed flows ending after the signal whose headers named another director than the victim.
"""
import json, os, signal, socket, sys, threading, time


def one(vip, port, src):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10.0)  # a loaded machine (load 40) answers late; late is not an error here
    data = b""
    try:
        s.bind((src, 0))
        s.connect((vip, port))
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        if not data.startswith(b"HTTP/1.") or " 200 " not in data.split(b"\r\n")[0].decode() + " ":
            return "ERROR bad-reply" + via(data)
        length = [int(l.split(b":", 1)[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
        if length and len(body) != length[0]:
            return "ERROR truncated" + via(data)  # closed before the whole body: the flow failed
        return body.decode().strip().replace(" ", "_")
    except Exception as e:  # every failure is recorded, never hidden
        return "ERROR " + type(e).__name__ + via(data)
    finally:
        s.close()


def via(data):
    """' via=DIRECTOR' when the reply's headers (X-Via) named the director, else ''."""
    names = [l.split(b":", 1)[1].strip().decode() for l in data.split(b"\r\n") if l.lower().startswith(b"x-via:")]
    return " via=" + names[0] if names else ""


def run(vip, port, sources, duration, concurrency, out, kill=None):
    sources = sources.split(",")
    lines, lock = [], threading.Lock()
    stop = time.monotonic() + duration
    counter = [0]

    def worker(k):
        while time.monotonic() < stop:
            with lock:
                i = counter[0]
                counter[0] += 1
            src = sources[i % len(sources)]
            t0 = time.monotonic()
            answer = one(vip, port, src)
            t1 = time.monotonic()
            with lock:
                lines.append("%.4f %.4f %s %s" % (t0, t1, src, answer))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    if kill:
        at, sig, pids = kill
        time.sleep(at)
        t, wall = time.monotonic(), time.time()
        for p in pids:
            try:
                os.kill(int(p), sig)
            except ProcessLookupError:
                pass
        with lock:
            lines.append("SIGNAL %.4f %.6f" % (t, wall))
    for t in threads:
        t.join()
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def route_changes(routes, vip, after_wall):
    """Wall times of the changes of the VIP's route in the router's FIB after the signal."""
    import datetime
    out = []
    for line in open(routes):
        if not line.startswith("[") or vip not in line:
            continue
        t = datetime.datetime.fromisoformat(line[1:line.index("]")]).timestamp()
        if t >= after_wall:
            out.append(t)
    return out


def analyze(out, victim, routes=None, vip=None):
    flows, errors, signal_t, signal_wall = [], [], None, None
    for line in open(out):
        w = line.split()
        if not w:
            continue
        if w[0] == "SIGNAL":
            signal_t, signal_wall = float(w[1]), float(w[2])
            continue
        t0, t1, src, answer = float(w[0]), float(w[1]), w[2], " ".join(w[3:])
        flows.append((t0, t1, src, answer))
    by_source, directors, per_director = {}, set(), {}
    for t0, t1, src, answer in flows:
        if answer.startswith("ERROR"):
            errors.append((t0, t1, src, answer))
            continue
        rs, director = answer.split("_via_")
        directors.add(director)
        per_director[director] = per_director.get(director, 0) + 1
        by_source.setdefault(src, {}).setdefault(rs, set()).add(director)
    inconsistent = {s: {rs: sorted(d) for rs, d in m.items()} for s, m in by_source.items() if len(m) > 1}
    # sources whose flows went through several directors: the cases where consistency is tested
    crossed = sum(1 for m in by_source.values() if len(set().union(*m.values())) > 1)
    summary = {"flows": len(flows), "errors": len(errors), "directors": per_director,
               "sources": len(by_source), "sources_seen_through_several_directors": crossed,
               "inconsistent_sources": inconsistent}
    if signal_t is not None:
        after = [f for f in flows if f[0] >= signal_t]
        on_victim = [f for f in after if f[3].endswith("_via_" + victim)]
        failed = [f for f in after if f[3].startswith("ERROR")]
        errors_before = [e for e in errors if e[1] < signal_t]
        last = max([f[0] for f in on_victim + failed], default=None)
        walls = route_changes(routes, vip, signal_wall) if routes else []
        changed = walls[0] if walls else None
        moved = None if changed is None else signal_t + (changed - signal_wall)
        changes = [signal_t + (w - signal_wall) for w in walls]
        # A flow may fail when it was open while the victim went (between the signal and the first
        # route change) or while the router's route changed (again: a director that returns also
        # moves flows); any other failure is a fault.
        def explained(f):
            if moved is not None and f[0] <= moved and f[1] >= signal_t:
                return True
            return any(f[0] <= c <= f[1] + 0.05 for c in changes)
        in_flight = [f for f in flows if f[0] < (moved or signal_t) <= f[1]]
        summary.update({
            "route_changed_after_s": None if changed is None else round(changed - signal_wall, 3),
            "flows_in_flight_at_route_change": len(in_flight),
            "errors_in_flight_at_route_change": sum(1 for f in in_flight if f[3].startswith("ERROR")),
            "route_changes": [round(c - signal_t, 3) for c in changes],
            "errors_away_from_route_changes": sum(1 for f in failed if not explained(f))})
        # flows open at the signal count too: a route change moves open flows
        ended_after = [e for e in errors if e[1] >= signal_t]
        on_survivors = [f for f in ended_after if " via=" in f[3] and not f[3].endswith(" via=" + victim)]
        summary.update({
            "errors_on_survivors": len(on_survivors),
            "errors_without_director": sum(1 for f in ended_after if " via=" not in f[3]),
            "flows_after_signal": len(after), "victim_flows_after_signal": len(on_victim),
            "errors_after_signal": len(failed), "errors_before_signal": len(errors_before),
            "error_kinds": sorted(set(e[3].split(" via=")[0] for e in errors)),
            "last_error_end_after_signal_s": round(max([f[1] for f in failed], default=signal_t) - signal_t, 3),
            "traffic_moved_after_s": None if last is None else round(last - signal_t, 3),
            "signal_monotonic": signal_t})
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        a = sys.argv[2:]
        kill = (float(a[6]), int(getattr(signal, "SIG" + a[7]) if not a[7].isdigit() else int(a[7])), a[8:]) if len(a) > 6 else None
        run(a[0], int(a[1]), a[2], float(a[3]), int(a[4]), a[5], kill)
    else:
        analyze(*sys.argv[2:6])
