#!/usr/bin/env bash
# Per-packet cost of the full enforcement ladder with 1M-entry sets (issue 4), as root.
#
#   sender (dhcp-flood) --veth--> appliance (inet dhcp_inspection, medium profile, xt-compat queue with bypass and
#   nothing bound, so every packet falls through to the ladder) --veth--> sink (counts and drops UDP 67)
#
# A test-only table `bench_marks` at prerouting -99 stamps each DISCOVER (option 53 = 1 at UDP offset 248) the way
# the processor would: type bits 0x01 | the client's MAC low 24 bits (chaddr bytes 3..5, UDP offset 39).
# dhcp-flood's clients are 02:00:00:00:00:00 .. CLIENTS-1, i.e. marks 0x000000..CLIENTS-1; the populated sets hold
# 0x100000..0x1fffff (1,048,576 marks, capped to each set's size), which none of them match, so every packet runs
# the whole ladder: 5 llm_* lookups, blocked_macs, tracked_marks update + limit, counters, accept.
#
# Scenarios: baseline (no dhcp_inspection table, stamper only), empty sets, populated sets (llm_* 1,000,000 each,
# blocked_macs 1,000,000). For each: a flat-out run (sender as fast as it can) and a fixed-rate run, with packets
# received by the sink and CPU from /proc/stat (softirq, and system+softirq) over the run.
#
# Usage: bench/enforcement/ladder.sh [SECONDS=10] [FIXED_PPS=50000] [CLIENTS=50000] [--append-docs]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SECS=${1:-10}; FIXED=${2:-50000}; CLIENTS=${3:-50000}; APPEND=${4:-}
P=ldb$$; S=$P-s; A=$P-a; K=$P-k
TMP=$(mktemp -d)
cleanup() { for n in $S $A $K; do ip netns del $n 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

gcc -O2 -o "$TMP/dhcp-flood" bench/tools/dhcp-flood.c
mvn -o -q -pl enforcement -am install -DskipTests >/dev/null 2>&1
mvn -q -pl enforcement dependency:build-classpath -Dmdep.outputFile=$TMP/cp >/dev/null 2>&1
CP=enforcement/target/classes:$(cat $TMP/cp)
JAVA="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $CP"

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }
for n in $S $A $K; do ip netns add $n; nsx $n ip link set lo up; done
ip link add s0 netns $S type veth peer name a0 netns $A
ip link add a1 netns $A type veth peer name k0 netns $K
nsx $S ip addr add 10.201.0.2/24 dev s0; nsx $S ip link set s0 up; nsx $S ip route add default via 10.201.0.1
nsx $A ip addr add 10.201.0.1/24 dev a0; nsx $A ip link set a0 up
nsx $A ip addr add 10.202.0.1/24 dev a1; nsx $A ip link set a1 up
nsx $K ip addr add 10.202.0.2/24 dev k0; nsx $K ip link set k0 up; nsx $K ip route add default via 10.202.0.1
nsx $A sysctl -qw net.ipv4.ip_forward=1
# static neighbours: no ARP in the measurement
nsx $S ip neigh replace 10.201.0.1 lladdr "$(nsx $A cat /sys/class/net/a0/address)" dev s0 nud permanent
nsx $A ip neigh replace 10.202.0.2 lladdr "$(nsx $K cat /sys/class/net/k0/address)" dev a1 nud permanent
nsx $K nft -f - <<'EOF'
table inet sink {
  counter got { }
  chain in {
    type filter hook prerouting priority 0; policy accept;
    udp dport 67 counter name "got" drop
  }
}
EOF
# nft will not byte-swap a payload into the (host order) mark, so the stamper maps the 3 MAC bytes to the mark
# through a map of CLIENTS entries (one hash lookup per packet, in every scenario including the baseline).
{ printf 'table inet bench_marks {\n map client { typeof @th,312,24 : meta mark; size %d; }\n' $((CLIENTS + 16))
  printf ' chain stamp {\n  type filter hook prerouting priority -99; policy accept;\n'
  printf '  udp dport 67 @th,1984,24 0x350101 meta mark set @th,312,24 map @client\n }\n}\n'
  awk -v n=$CLIENTS 'BEGIN{ for (i=0;i<n;i++) { if (i%50000==0) { if (i) print " }"; printf "add element inet bench_marks client {" } else printf ","; printf " 0x%06x : 0x%08x", i, 16777216+i } print " }" }'
} > $TMP/stamp.nft
nsx $A nft -f $TMP/stamp.nft

sink() { nsx $K nft -j list counter inet sink got | grep -o '"packets": [0-9]*' | awk '{print $2}'; }
ctr() { nsx $A nft -j list counter inet dhcp_inspection "$1" 2>/dev/null | grep -o '"packets": [0-9]*' | awk '{print $2}' || echo 0; }
cpu() { awk '/^cpu /{print $4+$7+$8, $8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }   # sys+irq+softirq, softirq, all (ticks)
HZ=$(getconf CLK_TCK)

RESULTS=$TMP/results
# nft 1.0.6 loads every set's elements into its cache for any listing, even `list counter`: with 6M elements that
# takes minutes. So counters are read per run only while the sets are small (NOCTR=1 skips them); the 1M runs are
# checked by one counter delta taken after the sets are flushed again.
run() {  # scenario mode pps
  local sc=$1 mode=$2 pps=$3
  [[ -z "${NOCTR:-}" ]] && { nsx $A nft flush set inet dhcp_inspection tracked_marks 2>/dev/null || true; }
  nsx $K nft reset counter inet sink got >/dev/null
  local tot0=0 a0=0 fb0=0
  [[ -z "${NOCTR:-}" ]] && { tot0=$(ctr v4_discover_total); a0=$(ctr v4_discover_a); fb0=$(ctr freshly_blocked_macs); }
  read -r sys0 si0 all0 < <(cpu)
  local out=$(nsx $S "$TMP/dhcp-flood" -4 10.202.0.2 "$SECS" "$pps" "$CLIENTS")
  sleep 0.2
  read -r sys1 si1 all1 < <(cpu)
  local got=$(sink) tot=- acc=- fb=-
  [[ -z "${NOCTR:-}" ]] && { tot=$(( $(ctr v4_discover_total) - tot0 )); acc=$(( $(ctr v4_discover_a) - a0 )); fb=$(( $(ctr freshly_blocked_macs) - fb0 )); }
  local sent=$(sed -E 's/.*sent=([0-9]+).*/\1/' <<<"$out") el=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$out")
  awk -v sc="$sc" -v m="$mode" -v sent="$sent" -v el="$el" -v got="$got" -v tot="$tot" -v acc="$acc" -v fb="$fb" \
      -v sys=$((sys1-sys0)) -v si=$((si1-si0)) -v all=$((all1-all0)) -v hz=$HZ 'BEGIN{
    printf "| %s | %s | %.0f | %.0f | %s | %s | %s | %.2f | %.2f | %.2f | %.2f |\n", sc, m, sent/el, got/el, tot, acc, fb,
      si/hz/el, sys/hz/el, (got>0? si/hz/got*1e9 : 0)/1000, (got>0? sys/hz/got*1e9 : 0)/1000 }' | tee -a $RESULTS
}

load_sets() {
  for set in llm_blocked_marks llm_denied_marks llm_throttled_marks llm_allowed_marks llm_monitored_marks blocked_macs; do
    local to=""; [[ $set == blocked_macs ]] && to=" timeout 1h"
    awk -v set=$set -v to="$to" 'BEGIN{ n=0; for (i=1048576; i<2097152 && n<1000000; i++) { if (n%50000==0) { if (n) print " }"; printf "add element inet dhcp_inspection %s {", set } else printf ","; printf " 0x%06x%s", i, to; n++ } print " }" }' > $TMP/$set.nft
    local t0=$(date +%s.%N); nsx $A nft -f $TMP/$set.nft; local t1=$(date +%s.%N)
    echo "loaded 1,000,000 into $set in $(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.1f", b-a}') s" >&2
  done
}

HDR='| scenario | sender | offered pps | pps through (sink) | v4_discover_total | v4_discover_a | freshly_blocked | softirq cores | sys+softirq cores | softirq µs/pkt | sys+softirq µs/pkt |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
echo "$HDR"
run baseline flat-out 0
run baseline "$FIXED/s" $FIXED
nsx $A $JAVA io.dhcpshield.enforcement.EnforcementTool install medium xt >/dev/null
run "sets empty" flat-out 0
run "sets empty" "$FIXED/s" $FIXED
T0=$(ctr v4_discover_total); A0=$(ctr v4_discover_a); F0=$(ctr freshly_blocked_macs); SINK_TOTAL=0
nsx $A nft flush set inet dhcp_inspection tracked_marks
load_sets
# element counts from /proc/slabinfo are not per set; count through the kernel's own number instead: the 1M add
# commands succeeded (nft -f exits non-zero on any failure, and the sets are capped at 1,000,000)
NOCTR=1 run "sets 1M" flat-out 0; SINK_TOTAL=$((SINK_TOTAL + $(sink)))
NOCTR=1 run "sets 1M" "$FIXED/s" $FIXED; SINK_TOTAL=$((SINK_TOTAL + $(sink)))
NOCTR=1 run "sets 1M" flat-out 0; SINK_TOTAL=$((SINK_TOTAL + $(sink)))   # again: drift on the shared machine
for set in llm_blocked_marks llm_denied_marks llm_throttled_marks llm_allowed_marks llm_monitored_marks blocked_macs; do nsx $A nft flush set inet dhcp_inspection $set; done
echo "1M runs, by counter delta after the flush: v4_discover_total $(( $(ctr v4_discover_total) - T0 )), v4_discover_a $(( $(ctr v4_discover_a) - A0 )), freshly_blocked_macs $(( $(ctr freshly_blocked_macs) - F0 )), sink received $SINK_TOTAL" | tee $TMP/check
run "sets empty (after flush)" flat-out 0

SUMMARY=$(awk -F'|' '$3 ~ /flat-out/ { gsub(/ /,"",$2); v[$2]=$5 } END {
  printf "flat-out pps: baseline %.0f, empty %.0f, 1M %.0f; 1M/empty = %.3f, empty/baseline = %.3f\n", v["baseline"], v["setsempty"], v["sets1M"], v["sets1M"]/v["setsempty"], v["setsempty"]/v["baseline"] }' $RESULTS)
echo "$SUMMARY"
if [[ "$APPEND" == "--append-docs" ]]; then
  # appended at the end of the "## Enforcement" section (before the next "## " heading)
  { echo; echo "### Ladder per-packet cost, run $(date -u +%Y-%m-%dT%H:%MZ) ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)): \`bench/enforcement/ladder.sh $SECS $FIXED $CLIENTS\`"
    echo; echo "$HDR"; cat $RESULTS; echo; cat $TMP/check; echo; echo "$SUMMARY"; echo; } > $TMP/block
  awk -v f=$TMP/block 'BEGIN{while((getline l < f)>0) b=b l "\n"} /^## /{ if (inenf) { printf "%s", b; done=1 } inenf = ($0 == "## Enforcement") } { print } END{ if (!done) printf "%s", b }' docs/performance.md > $TMP/perf && cp $TMP/perf docs/performance.md
fi
