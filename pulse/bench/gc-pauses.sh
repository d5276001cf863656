#!/usr/bin/env bash
# Summarises GC pauses from -Xlog:gc files (as written by peers.sh with PULSE_GC_LOG=DIR):
#   pulse/bench/gc-pauses.sh DIR
# prints, per log: number of pauses, total, max and the largest few, in ms.
set -euo pipefail
dir=${1:?usage: gc-pauses.sh DIR}
for f in "$dir"/gc-*.log; do
  [[ -e $f ]] || { echo "no gc-*.log in $dir" >&2; exit 1; }
  awk -v f="$(basename "$f")" '/Pause/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+ms$/) { v = $i; sub(/ms/, "", v); v += 0; n++; t += v; if (v > m) m = v } }
    END { printf "%s pauses=%d total=%.3fms max=%.3fms\n", f, n, t, m }' "$f"
done
