#!/usr/bin/env bash
# perfdhcp and the simulator side by side against the same Kea (docs/simulator.md): DHCPv4 DORA and DHCPv6 SARR, each
# at a fixed target rate and at a "max" target, Kea restarted (empty lease table) before every run.
#
# Usage: bench/simulator/run.sh [FIXED_RATE [MAX_RATE [SECONDS]]]   (defaults 1000 20000 10; run as root)
# Uses lab/lab.sh with LAB=simb (its own namespaces, torn down at the end). Needs simulator/target/dhcp-simulator.jar
# (mvnj -o -q package -pl simulator -am -DskipTests) and jq. Prints, per run: target rate, first messages sent per
# second (DISCOVER/SOLICIT), completed exchanges per second, and the simulator's completed rate over perfdhcp's.
# perfdhcp -4 acts as a relay (giaddr 198.18.0.2, port 67, Option 82), like the simulator's relay mode; perfdhcp -6 -A1
# adds one RELAY-FORW level, like --relay-levels 1. Both use 60000 clients.
set -euo pipefail

FIXED="${1:-1000}" MAX="${2:-20000}" SECS="${3:-10}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export LAB=simb
lab="$repo/lab/lab.sh"
run="/tmp/$LAB-lab"
sim="$repo/bin/simulator"
cli="$LAB-cli"

cleanup() { "$lab" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$lab" up >/dev/null

restart_kea() {
  local f pid
  # Kea's own pid files: lab.sh's kea{4,6}.pid hold the pid of the backgrounded subshell, not Kea's, so `lab.sh kea`
  # alone leaves the old Kea running (and the new one refuses to start while that pid file names a live process).
  for f in "$run/kea4.kea-dhcp4.pid" "$run/kea6.kea-dhcp6.pid"; do
    pid="$(cat "$f" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    while [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
  "$lab" kea >/dev/null
}

perf() { # family rate -> "sent/s completed/s"
  local fam="$1" rate="$2" out sent
  restart_kea
  if [[ "$fam" == 4 ]]; then
    out="$(ip netns exec "$cli" perfdhcp -4 -r "$rate" -p "$SECS" -R 60000 -W 500000 -l 198.18.0.2 \
      -o 82,0106676530303031020602005e000102 198.19.0.2 2>&1 || true)"
  else
    out="$(ip netns exec "$cli" perfdhcp -6 -r "$rate" -p "$SECS" -R 60000 -W 500000 -A1 -l c0 2001:db8:2::2 2>&1 || true)"
  fi
  sent="$(grep -m1 'sent packets:' <<<"$out" | awk '{print $3}')"
  echo "$(bc -l <<<"scale=1; $sent / $SECS") $(grep -m1 '^Rate:' <<<"$out" | awk '{print $2}')"
}

simulate() { # family rate -> "sent/s completed/s"
  local fam="$1" rate="$2" json
  restart_kea
  if [[ "$fam" == 4 ]]; then
    json="$(ip netns exec "$cli" "$sim" -s 198.19.0.2 -p dora -c 60000 -d "$SECS" -r "$rate" --json || true)"
    jq -r --arg s "$SECS" '"\((.sent.DISCOVER / ($s|tonumber)) * 10 | round / 10) \(.ratePerSecond.completed)"' <<<"$json"
  else
    json="$(ip netns exec "$cli" "$sim" -6 -s 2001:db8:2::2 -p sarr -c 60000 -d "$SECS" -r "$rate" --json || true)"
    jq -r --arg s "$SECS" '"\((.sent.SOLICIT / ($s|tonumber)) * 10 | round / 10) \(.ratePerSecond.completed)"' <<<"$json"
  fi
}

printf '%-10s %-6s %8s | %-22s | %-22s | %s\n' exchange target "" "perfdhcp sent/s done/s" "simulator sent/s done/s" "done ratio sim/perf"
for fam in 4 6; do
  name=$([[ $fam == 4 ]] && echo "v4 DORA" || echo "v6 SARR")
  for rate in "$FIXED" "$MAX"; do
    read -r ps pc <<<"$(perf "$fam" "$rate")"
    read -r ss sc <<<"$(simulate "$fam" "$rate")"
    printf '%-10s %-6s %8s | %10s %11s | %10s %11s | %.2f\n' "$name" "$rate" "" "$ps" "$pc" "$ss" "$sc" \
      "$(bc -l <<<"$sc / $pc")"
  done
  read -r ss sc <<<"$(simulate "$fam" 0)"
  printf '%-10s %-6s %8s | %10s %11s | %10s %11s |\n' "$name" "window" "" "-" "-" "$ss" "$sc"
done
