#!/usr/bin/env bash
# The demo/test lab: three network namespaces on this machine, nothing leaves it.
#
#   <p>-cli  c0 198.18.0.2/16 2001:db8:1::2/64      (perfdhcp acting as a relay, dhclient)
#      |
#   <p>-app  a-cli 198.18.0.1/16 2001:db8:1::1/64    (the appliance: routes, runs dhcp-processor)
#            a-srv 198.19.0.1/24 2001:db8:2::1/64
#      |
#   <p>-srv  s0 198.19.0.2/24 2001:db8:2::2/64       (Kea DHCPv4 + DHCPv6)
#
# Usage: lab.sh up|down|kea|status|mgmt|perfdhcp4 RATE SECONDS|perfdhcp6 RATE SECONDS|rogue-up|rogue-v6|rogue-clients N|rogue-down   (prefix from LAB, default ds;
# mgmt adds a link from this machine to the appliance, 10.254.0.1 <-> 10.254.0.2, for the demo's API;
# LAB_NO_KEA=1 makes the server namespace a counting sink instead of running Kea)
# Addresses are RFC 2544 / RFC 3849 test ranges, only inside these namespaces.
set -euo pipefail

P="${LAB:-ds}"
RUN="${LAB_RUN:-/tmp/${P}-lab}"
CLI="$P-cli" APP="$P-app" SRV="$P-srv"

nsx() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

up() {
  down >/dev/null 2>&1 || true
  mkdir -p "$RUN"
  for ns in "$CLI" "$APP" "$SRV"; do
    ip netns add "$ns"
    nsx "$ns" ip link set lo up
    # Before the links exist, so that their link-local addresses are usable at once (dhclient -6 binds to them).
    nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  done
  ip link add c0 netns "$CLI" type veth peer name a-cli netns "$APP"
  ip link add a-srv netns "$APP" type veth peer name s0 netns "$SRV"
  nsx "$CLI" ip link set c0 address 02:00:5e:00:01:02
  nsx "$APP" ip link set a-cli address 02:00:5e:00:01:01
  nsx "$APP" ip link set a-srv address 02:00:5e:00:02:01
  nsx "$SRV" ip link set s0 address 02:00:5e:00:02:02
  nsx "$CLI" ip addr add 198.18.0.2/16 dev c0
  nsx "$CLI" ip -6 addr add 2001:db8:1::2/64 dev c0 nodad
  nsx "$CLI" ip link set c0 up
  nsx "$CLI" ip route add default via 198.18.0.1
  nsx "$CLI" ip -6 route add default via 2001:db8:1::1
  nsx "$APP" ip addr add 198.18.0.1/16 dev a-cli
  nsx "$APP" ip -6 addr add 2001:db8:1::1/64 dev a-cli nodad
  nsx "$APP" ip addr add 198.19.0.1/24 dev a-srv
  nsx "$APP" ip -6 addr add 2001:db8:2::1/64 dev a-srv nodad
  nsx "$APP" ip link set a-cli up
  nsx "$APP" ip link set a-srv up
  nsx "$APP" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  nsx "$SRV" ip addr add 198.19.0.2/24 dev s0
  nsx "$SRV" ip -6 addr add 2001:db8:2::2/64 dev s0 nodad
  nsx "$SRV" ip link set s0 up
  nsx "$SRV" ip route add default via 198.19.0.1
  nsx "$SRV" ip -6 route add default via 2001:db8:2::1
  if [[ "${LAB_NO_KEA:-}" == 1 ]]; then
    sink
  else
    kea
  fi
  echo "lab $P up (run dir $RUN)"
}

# The server namespace as a counting sink (benchmarks): DHCP to the server is counted and dropped at prerouting, so
# nothing in it spends CPU per packet (no Kea, no UDP lookup, no ICMP port unreachable back through the appliance).
sink() {
  nsx "$SRV" nft -f - <<'NFT'
table inet sink {
  counter dhcp4 {}
  counter dhcp6 {}
  chain prerouting { type filter hook prerouting priority -300; policy accept;
    udp dport 67 counter name dhcp4 drop
    udp dport 547 counter name dhcp6 drop
  }
}
NFT
}

kea() {
  mkdir -p "$RUN"
  cat > "$RUN/kea4.json" <<JSON
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "s0" ], "dhcp-socket-type": "udp" },
    "control-socket": { "socket-type": "unix", "socket-name": "$RUN/kea4.sock" },
    "lease-database": { "type": "memfile", "persist": false, "lfc-interval": 0 },
    "valid-lifetime": 3600, "renew-timer": 900, "rebind-timer": 1800,
    "multi-threading": { "enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 1024 },
    "subnet4": [ { "id": 1, "subnet": "198.18.0.0/16", "pools": [ { "pool": "198.18.1.0 - 198.18.255.254" } ],
                   "option-data": [ { "name": "routers", "data": "198.18.0.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "$RUN/kea4.log" } ], "severity": "WARN" } ]
} }
JSON
  cat > "$RUN/kea6.json" <<JSON
{ "Dhcp6": {
    "interfaces-config": { "interfaces": [ "s0/2001:db8:2::2" ] },
    "server-id": { "type": "LL", "htype": 1, "identifier": "02005e000202", "persist": false },
    "control-socket": { "socket-type": "unix", "socket-name": "$RUN/kea6.sock" },
    "lease-database": { "type": "memfile", "persist": false, "lfc-interval": 0 },
    "preferred-lifetime": 3000, "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
    "multi-threading": { "enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 1024 },
    "subnet6": [ { "id": 1, "subnet": "2001:db8:1::/64",
                   "pools": [ { "pool": "2001:db8:1::100 - 2001:db8:1::ffff:ffff:ffff:ffff" } ],
                   "pd-pools": [ { "prefix": "2001:db8:f000::", "prefix-len": 36, "delegated-len": 56 } ] } ],
    "loggers": [ { "name": "kea-dhcp6", "output_options": [ { "output": "$RUN/kea6.log" } ], "severity": "WARN" } ]
} }
JSON
  stop_kea
  # Kea keeps its pid and lock files in its own state dirs; give each lab its own.
  export KEA_PIDFILE_DIR="$RUN" KEA_LOCKFILE_DIR="$RUN"
  # Not through nsx: a backgrounded shell function is a subshell, and $! would be its pid, not Kea's (ip netns exec
  # and env exec, so $! here is Kea itself and stop_kea really stops it).
  ip netns exec "$SRV" env KEA_PIDFILE_DIR="$RUN" KEA_LOCKFILE_DIR="$RUN" kea-dhcp4 -c "$RUN/kea4.json" >"$RUN/kea4.out" 2>&1 &
  echo $! > "$RUN/kea4.pid"
  ip netns exec "$SRV" env KEA_PIDFILE_DIR="$RUN" KEA_LOCKFILE_DIR="$RUN" kea-dhcp6 -c "$RUN/kea6.json" >"$RUN/kea6.out" 2>&1 &
  echo $! > "$RUN/kea6.pid"
  for _ in $(seq 50); do
    [[ -S "$RUN/kea4.sock" && -S "$RUN/kea6.sock" ]] && return 0
    sleep 0.1
  done
  echo "kea did not start; see $RUN/kea4.out $RUN/kea6.out" >&2
  return 1
}

stop_kea() {
  local f
  for f in "$RUN/kea4.pid" "$RUN/kea6.pid"; do
    [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  rm -f "$RUN"/kea4.sock "$RUN"/kea6.sock
}

# A management link from this machine (root namespace) to the appliance: the demo's API/GUI address.
MGMT_HOST=10.254.0.1 MGMT_APP=10.254.0.2
mgmt() {
  ip link del "$P-mgmt" 2>/dev/null || true
  ip link add "$P-mgmt" type veth peer name m0 netns "$APP"
  ip addr add "$MGMT_HOST/30" dev "$P-mgmt"
  ip link set "$P-mgmt" up
  nsx "$APP" ip addr add "$MGMT_APP/30" dev m0
  nsx "$APP" ip link set m0 up
  echo "$MGMT_APP"
}

down() {
  ip link del "$P-mgmt" 2>/dev/null || true
  stop_kea
  rogue_down >/dev/null 2>&1 || true
  for ns in "$CLI" "$APP" "$SRV"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
}

status() {
  for ns in "$CLI" "$APP" "$SRV"; do
    ip netns list | grep -qw "$ns" && echo "$ns: up" || echo "$ns: down"
  done
}

# A rogue DHCP server on the client segment: the segment becomes a bridge (br0) in the client namespace with c0 and
# a fourth namespace <p>-rog (r0 198.18.0.9, MAC 02:00:5e:00:07:01) running dnsmasq, which answers with broadcasts,
# so the appliance sees its OFFER/ACK on a-cli. rogue-clients N starts N DHCP clients (dhclient on macvlans of br0,
# MACs 02:00:5e:00:99:1<i>, a no-op script so nothing in the namespace changes) that it answers.
ROG="$P-rog"
ROGUE_IP=198.18.0.9 ROGUE_MAC=02:00:5e:00:07:01
rogue_up() {
  rogue_down >/dev/null 2>&1 || true
  if ! nsx "$CLI" ip link show br0 >/dev/null 2>&1; then
    nsx "$CLI" ip link add br0 type bridge stp_state 0 forward_delay 0
    nsx "$CLI" ip link set br0 address 02:00:5e:00:01:02
    nsx "$CLI" ip addr flush dev c0
    nsx "$CLI" ip link set c0 master br0
    nsx "$CLI" ip link set br0 up
    nsx "$CLI" ip addr add 198.18.0.2/16 dev br0
    nsx "$CLI" ip -6 addr add 2001:db8:1::2/64 dev br0 nodad
    nsx "$CLI" ip route replace default via 198.18.0.1
    nsx "$CLI" ip -6 route replace default via 2001:db8:1::1
  fi
  ip netns add "$ROG"
  nsx "$ROG" ip link set lo up
  ip link add r0 netns "$ROG" type veth peer name c-rog netns "$CLI"
  nsx "$CLI" ip link set c-rog master br0
  nsx "$CLI" ip link set c-rog up
  nsx "$ROG" ip link set r0 address "$ROGUE_MAC"
  nsx "$ROG" ip addr add "$ROGUE_IP/16" dev r0
  nsx "$ROG" ip link set r0 up
  mkdir -p "$RUN"
  rm -f "$RUN/rogue.leases"
  # --no-ping: dnsmasq would otherwise ping each address for 3 s before offering it (one client at a time).
  nsx "$ROG" dnsmasq --conf-file=/dev/null --port=0 --interface=r0 --bind-interfaces --dhcp-broadcast --no-ping \
    --dhcp-range=198.18.200.10,198.18.200.250,255.255.0.0,2m --dhcp-authoritative \
    --dhcp-leasefile="$RUN/rogue.leases" --pid-file="$RUN/rogue.pid" --log-facility="$RUN/rogue.log" --log-dhcp
  echo "rogue DHCP server $ROGUE_IP ($ROGUE_MAC) on the client segment"
}

# The rogue also answers DHCPv6 on the segment (r0 2001:db8:1::9): a second dnsmasq, DHCPv6 only, addresses from
# 2001:db8:1::c8:0 up. Separate from rogue-up so the tests that want a v4-only rogue keep it.
rogue_v6() {
  nsx "$ROG" ip -6 addr add 2001:db8:1::9/64 dev r0 nodad 2>/dev/null || true
  rm -f "$RUN/rogue6.leases"
  nsx "$ROG" dnsmasq --conf-file=/dev/null --port=0 --interface=r0 --bind-interfaces \
    --dhcp-range=2001:db8:1::c8:0,2001:db8:1::c8:ffff,64,2m --dhcp-authoritative \
    --dhcp-leasefile="$RUN/rogue6.leases" --pid-file="$RUN/rogue6.pid" --log-facility="$RUN/rogue6.log" --log-dhcp
  echo "rogue DHCPv6 server 2001:db8:1::9 on the client segment"
}

rogue_clients() {
  local n="${1:-2}" i
  for ((i = 1; i <= n; i++)); do
    nsx "$CLI" ip link del "cl$i" 2>/dev/null || true
    nsx "$CLI" ip link add "cl$i" link br0 type macvlan mode bridge
    nsx "$CLI" ip link set "cl$i" address "02:00:5e:00:99:1$i"
    nsx "$CLI" ip link set "cl$i" up
    nsx "$CLI" dhclient -4 -1 -sf /bin/true -pf "$RUN/cl$i.pid" -lf "$RUN/cl$i.leases" "cl$i" >/dev/null 2>&1 &
  done
  wait
}

rogue_down() {
  local f
  for f in "$RUN"/cl*.pid "$RUN/rogue.pid" "$RUN/rogue6.pid"; do
    [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  ip netns pids "$ROG" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$ROG" 2>/dev/null || true
  local i
  for i in 1 2 3 4 5 6 7 8 9; do nsx "$CLI" ip link del "cl$i" 2>/dev/null || true; done
}

# perfdhcp -4 always acts as a relay (giaddr = 198.18.0.2), unicast to the server through the appliance.
perfdhcp4() {
  local rate="${1:-100}" secs="${2:-5}"
  nsx "$CLI" perfdhcp -4 -r "$rate" -p "$secs" -R 60000 -W 500000 -l 198.18.0.2 \
    -o 82,0106676530303031020602005e000102 198.19.0.2
}

# perfdhcp -6 -A1 adds one RELAY-FORW level and unicasts to the server.
perfdhcp6() {
  local rate="${1:-100}" secs="${2:-5}"
  nsx "$CLI" perfdhcp -6 -r "$rate" -p "$secs" -R 60000 -W 500000 -A1 -l "$(nsx "$CLI" ip link show br0 >/dev/null 2>&1 && echo br0 || echo c0)" 2001:db8:2::2
}

cmd="${1:-status}"; shift || true
case "$cmd" in
  up) up ;;
  down) down ;;
  kea) kea ;;
  status) status ;;
  mgmt) mgmt ;;
  perfdhcp4) perfdhcp4 "$@" ;;
  perfdhcp6) perfdhcp6 "$@" ;;
  rogue-up) rogue_up ;;
  rogue-v6) rogue_v6 ;;
  rogue-clients) rogue_clients "$@" ;;
  rogue-down) rogue_down ;;
  *) echo "usage: $0 up|down|kea|status|mgmt|perfdhcp4 RATE SECS|perfdhcp6 RATE SECS|rogue-up|rogue-v6|rogue-clients N|rogue-down" >&2
     exit 2 ;;
esac
