#!/usr/bin/env bash
# bench/agent/run.sh: the dhcp-agent under load, in two network namespaces (client -> site), for docs/agent.md.
#
# dhcp-flood (bench/tools/dhcp-flood.c) sends DHCPDISCOVERs from the client namespace to the site's address at each
# rate for SECONDS; the agent (bin/dhcp-agent, its default JVM options) captures the site's veth and sends TZSP to
# 127.0.0.1:37008 in the site namespace, where an nft input rule counts and drops it (the collector). Another nft rule
# counts and drops the DISCOVERs themselves after the capture tap, so every phase prints the chain end to end:
#   offered (what dhcp-flood sent) -> on the interface (nft) -> captured -> sent (agent) -> at the collector (nft)
# plus the agent's drops, its CPU (utime+stime of every thread from /proc/PID/stat) as % of one core and as CPU ms
# per 10,000 frames sent, and its resident memory (VmRSS, and the peak VmHWM). Rates: 1000, 20000, then 0 (dhcp-flood
# as fast as it can: the agent's saturation point on this machine, with the sender competing for the same cores).
#
# usage: bench/agent/run.sh [SECONDS (default 10)] [RATES (default "1000 20000 0")]
# Needs root, gcc, python3, nft and a built processor jar (./dhcp-shield build, or mvnj -o package -pl processor -am).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
seconds="${1:-10}"
rates="${2:-1000 20000 0}"
site=agb-site
client=agb-client
site_ip=10.204.0.1
client_ip=10.204.0.2
metrics=127.0.0.1:9138
flood="$root/bench/target/dhcp-flood"
tick=$(getconf CLK_TCK)

[[ $EUID -eq 0 ]] || { echo "bench/agent: needs root (network namespaces, capture)" >&2; exit 2; }
jar="$root/processor/target/dhcp-processor.jar"
[[ -f "$jar" ]] || { echo "bench/agent: no $jar; build first (./dhcp-shield build)" >&2; exit 2; }
if [[ ! -x "$flood" ]]; then
  mkdir -p "$root/bench/target"
  gcc -O2 -o "$flood" "$root/bench/tools/dhcp-flood.c"
fi

agent_pid=""
cleanup() {
  [[ -n "$agent_pid" ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  ip netns del "$site" 2>/dev/null || true
  ip netns del "$client" 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add "$site"
ip netns add "$client"
ip -n "$site" link add veth-s type veth peer name veth-c netns "$client"
ip -n "$site" addr add "$site_ip/24" dev veth-s
ip -n "$client" addr add "$client_ip/24" dev veth-c
for ns_dev in "$site:veth-s" "$site:lo" "$client:veth-c" "$client:lo"; do
  ip -n "${ns_dev%%:*}" link set "${ns_dev##*:}" up
done
ip -n "$client" neigh replace "$site_ip" lladdr "$(ip -n "$site" -br link show veth-s | awk '{print $3}')" \
  dev veth-c nud permanent
ip netns exec "$site" nft -f - <<NFT
table inet agentbench {
  counter dhcp_in { }
  counter tzsp_in { }
  chain input {
    type filter hook input priority 0; policy accept;
    udp dport 67 counter name "dhcp_in" drop
    udp dport 37008 counter name "tzsp_in" drop
  }
}
NFT

nft_packets() { ip netns exec "$site" nft list counter inet agentbench "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
metric() {  # metric NAME [LABEL-FILTER]: the sum of a Prometheus series from the agent's endpoint
  ip netns exec "$site" python3 - "$metrics" "$1" "${2:-}" <<'PY'
import sys, urllib.request
addr, name, label = sys.argv[1:4]
text = urllib.request.urlopen(f"http://{addr}/metrics", timeout=5).read().decode()
total = 0.0
for line in text.splitlines():
    if line.startswith("dhcpshield_" + name) and not line.startswith("#") and label in line:
        total += float(line.rsplit(" ", 1)[1])
print(int(total))
PY
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }
status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$agent_pid/status"; }

log="$root/bench/target/agent-bench.log"
ip netns exec "$site" "$root/bin/dhcp-agent" --interface veth-s --collector 127.0.0.1 --sensor-id bench \
  --stats-interval 0 --metrics-listen "$metrics" >"$log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 100); do
  grep -q "capturing on veth-s" "$log" 2>/dev/null && metric agent_frames_captured_total >/dev/null 2>&1 && break
  sleep 0.1
done
grep -q "capturing on veth-s" "$log" || { cat "$log"; echo "bench/agent: the agent did not start" >&2; exit 1; }
echo "agent pid $agent_pid, JVM options: ${DHCP_AGENT_JAVA_OPTS:-bin/dhcp-agent defaults}; idle VmRSS $(status VmRSS) kB"
echo "warm-up: 3 s at 20000/s"
ip netns exec "$client" "$flood" -4 "$site_ip" 3 20000 1000 >/dev/null

printf '%-8s %9s %9s %9s %9s %9s %9s %8s %8s %8s %9s %9s %9s\n' rate/s offered on-if captured sent at-coll \
  dropped k_drops cpu% cpu_ms/10k "sent/s" RSS_kB HWM_kB
for rate in $rates; do
  c0=$(metric agent_frames_captured_total); s0=$(metric agent_frames_sent_total)
  d0=$(metric agent_frames_dropped_total); k0=$(metric agent_kernel_drops_total)
  i0=$(nft_packets dhcp_in); t0=$(nft_packets tzsp_in); cpu0=$(cpu_ticks); w0=$(date +%s.%N)
  out=$(ip netns exec "$client" "$flood" -4 "$site_ip" "$seconds" "$rate" 1000)
  # Let the queue drain: the agent's sent count stops moving once everything captured is out.
  prev=-1; for _ in $(seq 1 50); do cur=$(metric agent_frames_sent_total); [[ $cur == "$prev" ]] && break; prev=$cur; sleep 0.1; done
  w1=$(date +%s.%N); cpu1=$(cpu_ticks)
  offered=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' <<<"$out")
  onif=$(( $(nft_packets dhcp_in) - i0 )); coll=$(( $(nft_packets tzsp_in) - t0 ))
  cap=$(( $(metric agent_frames_captured_total) - c0 )); snt=$(( $(metric agent_frames_sent_total) - s0 ))
  drp=$(( $(metric agent_frames_dropped_total) - d0 )); kd=$(( $(metric agent_kernel_drops_total) - k0 ))
  python3 - "$rate" "$offered" "$onif" "$cap" "$snt" "$coll" "$drp" "$kd" "$((cpu1 - cpu0))" "$tick" "$w0" "$w1" \
    "$seconds" "$(status VmRSS)" "$(status VmHWM)" <<'PY'
import sys
rate, offered, onif, cap, sent, coll, drp, kd, ticks, tick = map(int, sys.argv[1:11])
w0, w1, secs = float(sys.argv[11]), float(sys.argv[12]), float(sys.argv[13])
rss, hwm = sys.argv[14], sys.argv[15]
cpu_s = ticks / tick
wall = w1 - w0
print(f"{rate if rate else 'max':<8} {offered:9d} {onif:9d} {cap:9d} {sent:9d} {coll:9d} {drp:9d} {kd:8d} "
      f"{100 * cpu_s / wall:8.1f} {1000 * cpu_s * 10000 / max(sent, 1):8.1f} {sent / secs:9.0f} {rss:>9} {hwm:>9}")
PY
done
kill -TERM "$agent_pid"; wait "$agent_pid" || true; agent_pid=""
echo "agent: $(grep -o 'final counters: .*' "$log")"
