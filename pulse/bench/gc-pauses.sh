#!/usr/bin/env bash
# Summarises GC pauses and safepoints from -Xlog:gc,safepoint files (as written by peers.sh with
# PULSE_GC_LOG=DIR; lvsd's have GC lines only):
#   pulse/bench/gc-pauses.sh DIR
# prints, per log: number of GC pauses, total and max in ms; with safepoint lines, their number, the
# longest time to reach one (every thread stopped: a thread that is not scheduled holds the others
# up) and the longest stop in all, in ms.
set -euo pipefail
dir=${1:?usage: gc-pauses.sh DIR}
for f in "$dir"/gc-*.log; do
  [[ -e $f ]] || { echo "no gc-*.log in $dir" >&2; exit 1; }
  awk -v f="$(basename "$f")" '
    /Pause/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+ms$/) { v = $i; sub(/ms/, "", v); v += 0; n++; t += v; if (v > m) m = v } }
    /\[safepoint/ && /Reaching safepoint:/ {
      s++
      r = $0; sub(/.*Reaching safepoint: /, "", r); sub(/ ns.*/, "", r); r /= 1e6; if (r > rm) rm = r
      a = $0; sub(/.*Total: /, "", a); sub(/ ns.*/, "", a); a /= 1e6; if (a > am) am = a
    }
    END {
      printf "%s pauses=%d total=%.3fms max=%.3fms", f, n, t, m
      if (s) printf " safepoints=%d max-reaching=%.3fms max-total=%.3fms", s, rm, am
      printf "\n"
    }' "$f"
done
