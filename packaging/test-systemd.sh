#!/usr/bin/env bash
# packaging/test-systemd.sh [DEB]: the package's three services under a real systemd (docs/services.md).
#
# This machine's PID 1 is not systemd, so the clean root (packaging/clean-root.sh: bookworm with the package's
# dependencies and systemd) is booted with systemd-nspawn -b (its own PID, mount and network namespaces, only a
# loopback; an overlay, so the cached root stays clean), the package installed with dpkg, and each unit driven with
# systemctl inside it. What it shows:
#   1. systemd-analyze verify passes on the installed units (their real binaries and users);
#   2. dhcp-processor.service: a config.yaml with an unknown key fails once (exit 2, not restarted, the key named in
#      the journal); `systemctl start` returns only after READY=1, and by then every queue is bound and
#      the ruleset installed; it runs as dhcp-shield with CAP_NET_ADMIN and nothing else, under its seccomp filter
#      (SystemCallFilter=@system-service; each service does its work under it below); STATUS= counts the
#      packets the simulator sends through the queues; its log reaches the journal with priorities;
#   3. the watchdog: with WatchdogSec=3s it stays up (the event loops ping), and a frozen JVM (SIGSTOP) is killed
#      and restarted by systemd (NRestarts, a new main PID, READY again); a crash (SIGKILL) is restarted too;
#      `systemctl stop` is a clean stop (Result=success) that unbinds the queues;
#   4. dhcp-agent.service with the shipped agent.env (nothing set) fails once, saying what is missing; then
#      dhcp-collector.service and dhcp-agent.service (agent.env: the loopback, this collector): both READY, the agent
#      a dynamic user with CAP_NET_RAW only, and the DHCP the simulator sends is captured by the agent and counted
#      per agent by the collector; with WatchdogSec=2s the agent on the then quiet loopback is not restarted; both
#      stop cleanly.
# Needs root, unshare, systemd-nspawn (Debian's systemd-container) and what clean-root.sh needs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
log() { printf '\033[1m[test-systemd]\033[0m %s\n' "$*" >&2; }
die() { log "FAIL: $*"; [[ -n "${work:-}" && -f "$work/nspawn.log" ]] && tail -n 20 "$work/nspawn.log" >&2; exit 1; }

if [[ "${1:-}" != "--in-namespace" ]]; then
  deb="$("$here/clean-root.sh" --deb "${1:-}")" || die "no .deb (build it: mvnj -o -q package -DskipTests, or pass its path)"
  [[ $EUID -eq 0 ]] || die "needs root (mounts, systemd-nspawn)"
  command -v systemd-nspawn >/dev/null || die "needs systemd-nspawn (apt-get install systemd-container)"
  root="$("$here/clean-root.sh")" || die "no clean root"
  exec unshare --mount --fork "${BASH_SOURCE[0]}" --in-namespace "$deb" "$root"
fi

# ---- inside a private mount namespace: the overlay and the container end with it.
deb="$2"
root="$3"
start=$SECONDS
mount --make-rprivate /
work="$(mktemp -d /tmp/dhcp-shield-test-systemd.XXXXXX)"
nspawn=""
cleanup() {
  if [[ -n "$nspawn" ]] && kill -0 "$nspawn" 2>/dev/null; then
    # SIGTERM: nspawn asks the container's systemd to power off; it is killed if that takes too long.
    kill -TERM "$nspawn" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nspawn" 2>/dev/null || true
    wait "$nspawn" 2>/dev/null || true
  fi
  umount -R "$work/root" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/upper" "$work/ovl" "$work/root"
mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/upper,workdir=$work/ovl" "$work/root"
# The chroot-era guard would also stop deb-systemd-invoke inside the booted system: a booted host has none.
rm -f "$work/root/usr/sbin/policy-rc.d"
cp "$deb" "$work/root/root/dhcp-shield.deb"

log "booting the clean root with systemd-nspawn -b (private network: a loopback only)"
systemd-nspawn -D "$work/root" -b --private-network --register=no --keep-unit --console=passive \
  -M "dhcp-shield-test-$$" >"$work/nspawn.log" 2>&1 &
nspawn=$!
leader=""
for _ in $(seq 1 200); do
  for pid in $(ps -o pid= --ppid "$nspawn" 2>/dev/null); do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == systemd ]] && leader="$pid"
  done
  [[ -n "$leader" ]] && break
  kill -0 "$nspawn" 2>/dev/null || die "systemd-nspawn exited"
  sleep 0.1
done
[[ -n "$leader" ]] || die "no systemd in the container after 20 s"
in_c() { nsenter -t "$leader" -a /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# Until its private bus socket exists systemctl cannot connect; then --wait returns once booted.
state=""
for _ in $(seq 1 300); do
  state="$(timeout 90 nsenter -t "$leader" -a systemctl is-system-running --wait 2>&1 || true)"
  [[ "$state" == *"Failed to connect"* ]] || break
  sleep 0.2
done
[[ "$state" == running || "$state" == degraded ]] || die "the container's systemd: $state"
log "systemd $(in_c systemctl --version | head -n 1 | awk '{print $2}') is PID 1 in the container: $state"
check() { local what="$1"; shift; "$@" || die "$what"; }
prop() { in_c systemctl show -p "$2" --value "$1"; }
# Polls a condition (a shell snippet) every 0.2 s for at most $1 seconds.
wait_for() {
  local secs="$1" what="$2" cond="$3" i
  for ((i = 0; i < secs * 5; i++)); do
    eval "$cond" && return 0
    sleep 0.2
  done
  die "$what (waited $secs s)"
}

log "1. dpkg -i and systemd-analyze verify of the installed units"
in_c dpkg -i /root/dhcp-shield.deb >"$work/install.log" 2>&1 || { cat "$work/install.log"; die "dpkg -i"; }
for unit in dhcp-processor dhcp-collector dhcp-agent; do
  check "$unit.service installed" test "$(prop "$unit.service" LoadState)" = loaded
done
verify="$(in_c systemd-analyze verify /lib/systemd/system/dhcp-processor.service \
  /lib/systemd/system/dhcp-collector.service /lib/systemd/system/dhcp-agent.service 2>&1)" \
  || die "systemd-analyze verify: $verify"
# The processor: every queue of the ruleset's range, the ruleset installed, counters every second; the collector
# on for the agent (phase 4; the processor runs it too, in observe mode).
cat >>"$work/root/etc/dhcp-shield/config.yaml" <<'EOF'

# test-systemd.sh
counters_log_interval_secs: 1
enforcement:
  install_ruleset: true
  profile: low
collector:
  enabled: true
EOF

log "2. dhcp-processor.service: a bad config fails once, with its message; READY after the queues and the ruleset"
# Exit 2 (a bad config.yaml) is not restarted (RestartPreventExitStatus=2): one failure, the key named.
printf 'no_such_key: 1\n' >>"$work/root/etc/dhcp-shield/config.yaml"
in_c systemctl start dhcp-processor.service 2>/dev/null && die "started with an unknown key in config.yaml"
# Restarting, the unit would sit in activating/auto-restart; not restarted, it is failed at once.
wait_for 10 "the processor failed by its bad config" '[[ "$(prop dhcp-processor ActiveState)" == failed ]]'
check "bad config: exit 2" test "$(prop dhcp-processor ExecMainStatus)" = 2
check "bad config: failed, not restarted" test "$(prop dhcp-processor ActiveState)/$(prop dhcp-processor NRestarts)" \
  = failed/0
check "bad config: the journal names the key" bash -c "nsenter -t $leader -a journalctl -u dhcp-processor \
  --no-pager | grep -q \"unknown key 'no_such_key'\""
sed -i '/^no_such_key: 1$/d' "$work/root/etc/dhcp-shield/config.yaml"
in_c systemctl reset-failed dhcp-processor.service
in_c systemctl start dhcp-processor.service || { in_c journalctl -u dhcp-processor --no-pager | tail -n 30; die "start"; }
# systemctl start has returned: READY=1 has been received. Nothing below waits.
queues="$(in_c cat /proc/net/netfilter/nfnetlink_queue | wc -l)"
check "8 queues bound when READY (saw $queues)" test "$queues" -eq 8
check "the ruleset installed when READY" in_c nft list chain inet dhcp_inspection dhcp_inspect >/dev/null
check "active (running)" test "$(prop dhcp-processor SubState)" = running
pid="$(prop dhcp-processor MainPID)"
# PIDs from systemctl are the container's: /proc and kill are used inside it.
check "runs as dhcp-shield" test "$(in_c stat -c %U "/proc/$pid")" = dhcp-shield
caps="$(in_c cat "/proc/$pid/status" | awk '/^CapEff/ {print $2}')"
check "CAP_NET_ADMIN only (CapEff $caps)" test "$caps" = 0000000000001000
check "a seccomp filter (SystemCallFilter=@system-service)" \
  test "$(in_c cat "/proc/$pid/status" | awk '/^Seccomp:/ {print $2}')" = 2
ready_line="$(in_c journalctl -u dhcp-processor -o cat --no-pager | grep -n 'notified systemd: ready' | cut -d: -f1)"
bound_line="$(in_c journalctl -u dhcp-processor -o cat --no-pager | grep -n 'bound:' | tail -n 1 | cut -d: -f1)"
check "READY logged after the last queue bound" test "$ready_line" -gt "$bound_line"
# DHCPv4 from the loopback through the output hook's queues (and prerouting's on lo): 200 DISCOVERs.
in_c /opt/dhcp-shield/bin/simulator -s 127.0.0.2 -l 127.0.0.1 -p flood -c 5 -n 200 -r 1000 -t 200 \
  >"$work/sim1.log" 2>&1 || true   # exit 3: every exchange timed out (nothing answers a flood here)
grep -q "sent: *DISCOVER 200" "$work/sim1.log" || { cat "$work/sim1.log"; die "the simulator's 200 DISCOVERs"; }
status_packets() { prop dhcp-processor StatusText | sed -n 's/.*packets=\([0-9]*\).*/\1/p'; }
wait_for 15 "STATUS= counting the simulator's 200 DISCOVERs" '[[ "$(status_packets)" -ge 200 ]]'
log "   STATUS=$(prop dhcp-processor StatusText)"
check "journald priorities (INFO = 6)" bash -c "nsenter -t $leader -a journalctl -u dhcp-processor -o json \
  --no-pager | grep -q '\"PRIORITY\":\"6\"'"

log "3. the watchdog restarts a frozen processor; on-failure restarts a killed one; stop is clean"
# A runtime drop-in (the container's /run is its own tmpfs: written from inside).
in_c sh -c 'mkdir -p /run/systemd/system/dhcp-processor.service.d && printf "[Service]\nWatchdogSec=3s\nTimeoutStopSec=5s\n" >/run/systemd/system/dhcp-processor.service.d/test.conf'
in_c systemctl daemon-reload
in_c systemctl restart dhcp-processor.service
check "WatchdogSec=3s in effect" test "$(prop dhcp-processor WatchdogUSec)" = 3s
restarts0="$(prop dhcp-processor NRestarts)"
pid="$(prop dhcp-processor MainPID)"
# Three watchdog periods: pinged by the event loops, it is not restarted.
sleep 9
check "alive after 3 watchdog periods (pings)" test "$(prop dhcp-processor MainPID)" = "$pid"
check "no restart while it pings" test "$(prop dhcp-processor NRestarts)" = "$restarts0"
in_c systemctl kill --kill-whom=main --signal=SIGSTOP dhcp-processor.service
wait_for 30 "systemd restarting the frozen processor" \
  '[[ "$(prop dhcp-processor NRestarts)" -gt "$restarts0" && "$(prop dhcp-processor SubState)" == running ]]'
check "a new main PID" test "$(prop dhcp-processor MainPID)" != "$pid"
check "the journal names the watchdog" bash -c "nsenter -t $leader -a journalctl -u dhcp-processor --no-pager \
  | grep -q 'Watchdog timeout'"
log "   frozen (SIGSTOP): watchdog timeout, killed, restarted ($(prop dhcp-processor NRestarts) restarts)"
restarts1="$(prop dhcp-processor NRestarts)"
pid="$(prop dhcp-processor MainPID)"
in_c systemctl kill --kill-whom=main --signal=SIGKILL dhcp-processor.service
wait_for 30 "systemd restarting the killed processor" \
  '[[ "$(prop dhcp-processor NRestarts)" -gt "$restarts1" && "$(prop dhcp-processor SubState)" == running ]]'
in_c systemctl stop dhcp-processor.service
check "stopped cleanly (Result=success)" test "$(prop dhcp-processor Result)" = success
check "inactive" test "$(prop dhcp-processor ActiveState)" = inactive
check "every queue unbound" test "$(in_c cat /proc/net/netfilter/nfnetlink_queue | wc -l)" -eq 0
in_c rm -rf /run/systemd/system/dhcp-processor.service.d
in_c systemctl daemon-reload

log "4. dhcp-collector.service and dhcp-agent.service on the loopback"
# The shipped agent.env sets nothing: the agent refuses to start (exit 2), once, and says what is missing.
in_c systemctl start dhcp-agent.service 2>/dev/null && die "the agent started with the shipped agent.env"
wait_for 10 "the agent failed by its empty agent.env" '[[ "$(prop dhcp-agent ActiveState)" == failed ]]'
check "unset agent.env: exit 2, failed, not restarted" \
  test "$(prop dhcp-agent ExecMainStatus)/$(prop dhcp-agent ActiveState)/$(prop dhcp-agent NRestarts)" = 2/failed/0
check "unset agent.env: the journal says what is missing" bash -c "nsenter -t $leader -a journalctl -u dhcp-agent \
  --no-pager | grep -q 'Missing required option'"
in_c systemctl reset-failed dhcp-agent.service
cat >"$work/root/etc/dhcp-shield/agent.env" <<'EOF'
AGENT_INTERFACE=lo
AGENT_ARGS=--collector 127.0.0.1:37008 --sensor-id systemd-test --stats-interval 1s
EOF
# The agent's watchdog at 2 s, so that a quiet interface below has to keep it pinging for a few periods.
in_c sh -c 'mkdir -p /run/systemd/system/dhcp-agent.service.d && printf "[Service]\nWatchdogSec=2s\n" >/run/systemd/system/dhcp-agent.service.d/test.conf'
in_c systemctl daemon-reload
in_c systemctl start dhcp-collector.service || { in_c journalctl -u dhcp-collector --no-pager | tail -n 30; die "collector"; }
in_c systemctl start dhcp-agent.service || { in_c journalctl -u dhcp-agent --no-pager | tail -n 30; die "agent"; }
check "collector active" test "$(prop dhcp-collector SubState)" = running
check "agent active" test "$(prop dhcp-agent SubState)" = running
apid="$(prop dhcp-agent MainPID)"
caps="$(in_c cat "/proc/$apid/status" | awk '/^CapEff/ {print $2}')"
check "agent: CAP_NET_RAW only (CapEff $caps)" test "$caps" = 0000000000002000
check "agent: a dynamic user, not root" test "$(in_c cat "/proc/$apid/status" | awk '/^Uid/ {print $2}')" -ge 61184
in_c /opt/dhcp-shield/bin/simulator -s 127.0.0.2 -l 127.0.0.1 -p flood -c 5 -n 100 -r 1000 -t 200 \
  >"$work/sim2.log" 2>&1 || true   # exit 3: every exchange timed out (nothing answers a flood here)
grep -q "sent: *DISCOVER 100" "$work/sim2.log" || { cat "$work/sim2.log"; die "the simulator's 100 DISCOVERs"; }
agent_frames() {
  in_c cat /run/dhcp-shield/status.json 2>/dev/null | tr -d ' \n' \
    | sed -n 's/.*"sensor_id":"systemd-test","datagrams":[0-9]*,"frames":\([0-9]*\).*/\1/p'
}
wait_for 15 "the collector counting the agent's 100 frames" '[[ "$(agent_frames)" -ge 100 ]]'
log "   collector: $(agent_frames) frames from agent systemd-test; agent STATUS=$(prop dhcp-agent StatusText)"
collector_status_frames() { prop dhcp-collector StatusText | sed -n 's/.*tzsp_frames=\([0-9]*\).*/\1/p'; }
wait_for 15 "the collector's STATUS= counting them" '[[ "$(collector_status_frames)" -ge 100 ]]'
log "   collector STATUS=$(prop dhcp-collector StatusText)"
# Nothing on the loopback now: a quiet interface is not a wedged capture loop (no restart in three periods).
apid="$(prop dhcp-agent MainPID)"
sleep 6
check "agent: pinging on a quiet interface (NRestarts $(prop dhcp-agent NRestarts))" \
  test "$(prop dhcp-agent NRestarts)/$(prop dhcp-agent MainPID)" = "0/$apid"
in_c systemctl stop dhcp-agent.service dhcp-collector.service
check "agent stopped cleanly" test "$(prop dhcp-agent Result)" = success
check "collector stopped cleanly" test "$(prop dhcp-collector Result)" = success

log "three services under systemd $(in_c systemctl --version | head -n 1 | awk '{print $2}'): all checks passed in $((SECONDS - start)) s"
