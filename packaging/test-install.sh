#!/usr/bin/env bash
# packaging/test-install.sh [DEB]: installs the package in a clean Debian root and checks install, upgrade, remove
# and purge the way an operator's host would see them (docs/install.md).
#
# The root: packaging/clean-root.sh's (debootstrap --variant=minbase bookworm plus the package's dependencies, made
# once into /var/cache/dhcp-shield and reused by every run). Each run works on an overlay of it in a
# private mount and network namespace, so the cached root stays clean, nothing is left mounted, and the chroot's
# "ClickHouse" is only the private one this script starts. Steps:
#   1. dpkg -i DEB (dpkg checks the Depends against the root): files, the user, the state directory, the config's
#      mode, --help of every command, --check-config of the shipped config.yaml; no ClickHouse: postinst says so;
#   2. the operator edits config.yaml (ClickHouse at a private server started here) and leaves data in
#      /var/lib/dhcp-shield; a second build, DEB repacked at a higher version with a changed config.yaml, is
#      installed over it (--force-confold, as apt's default answer): the edit and the data stay, the new file is
#      config.yaml.dpkg-dist, and postinst prepares the database (3 rulesets, the seed automation rules);
#   3. dpkg -r: programs gone, config and data kept; dpkg -P: config, data, user and group gone.
# Needs root, debootstrap, unshare, and clickhouse-server on this machine (./dhcp-shield setup installs them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
log() { printf '\033[1m[test-install]\033[0m %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

if [[ "${1:-}" != "--in-namespace" ]]; then
  deb="$("$here/clean-root.sh" --deb "${1:-}")" || die "no .deb (build it: mvnj -o -q package -DskipTests, or pass its path)"
  [[ $EUID -eq 0 ]] || die "needs root (debootstrap, chroot, mounts)"
  command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"
  root="$("$here/clean-root.sh")" || die "no clean root"
  exec unshare --mount --net --fork "${BASH_SOURCE[0]}" --in-namespace "$deb" "$root"
fi

# ---- inside a private mount and network namespace: every mount and server below ends with it.
deb="$2"
root="$3"
start=$SECONDS
mount --make-rprivate /
ip link set lo up
work="$(mktemp -d /tmp/dhcp-shield-test-install.XXXXXX)"
ch_dir="$work/clickhouse"
cleanup() {
  "$repo/storage/clickhouse/clickhouse.sh" stop "$ch_dir" >/dev/null 2>&1 || true
  umount -R "$work/root" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/upper" "$work/ovl" "$work/root"
mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/upper,workdir=$work/ovl" "$work/root"
mount -t proc proc "$work/root/proc"
mount --bind /dev "$work/root/dev"
mount -t tmpfs tmpfs "$work/root/tmp"
in_root() { chroot "$work/root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
check() { local what="$1"; shift; "$@" || die "$what"; }

# A second build: the same package at a higher version, its config.yaml changed as a new key would change it.
version="$(dpkg-deb -f "$deb" Version)"
mkdir "$work/v2"
dpkg-deb -R "$deb" "$work/v2/tree"
sed -i "s/^Version: .*/Version: $version+test2/" "$work/v2/tree/DEBIAN/control"
printf '\n# (a key the next version adds)\n#next_version_key: true\n' >>"$work/v2/tree/etc/dhcp-shield/config.yaml"
(cd "$work/v2/tree" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | xargs -0 md5sum >DEBIAN/md5sums)
dpkg-deb -b -Zgzip -z1 "$work/v2/tree" "$work/root/tmp/v2.deb" >/dev/null
cp "$deb" "$work/root/tmp/v1.deb"

log "1. install $(basename "$deb") into the clean root"
in_root dpkg -i /tmp/v1.deb >"$work/install.log" 2>&1 || { cat "$work/install.log"; die "dpkg -i"; }
sed 's/^/    /' "$work/install.log" >&2
grep -q "ClickHouse does not answer" "$work/install.log" || { cat "$work/install.log"; die "postinst without ClickHouse"; }
for f in /opt/dhcp-shield/lib/dhcp-processor.jar /opt/dhcp-shield/lib/dpictl.jar /opt/dhcp-shield/lib/dhcp-simulator.jar \
  /lib/systemd/system/dhcp-processor.service /usr/share/man/man8/dhcp-processor.8.gz; do
  check "installed: $f" test -f "$work/root$f"
done
check "user dhcp-shield" in_root getent passwd dhcp-shield >/dev/null
check "/var/lib/dhcp-shield dhcp-shield:dhcp-shield 750" \
  test "$(in_root stat -c '%U:%G %a' /var/lib/dhcp-shield)" = "dhcp-shield:dhcp-shield 750"
check "config.yaml root:dhcp-shield 640" \
  test "$(in_root stat -c '%U:%G %a' /etc/dhcp-shield/config.yaml)" = "root:dhcp-shield 640"
for cmd in dhcp-processor dhcp-collector dhcp-agent user-manager dpictl /opt/dhcp-shield/bin/simulator; do
  out="$(in_root "$cmd" --help 2>&1)" || die "$cmd --help: $out"
  grep -qi "usage" <<<"$out" || die "$cmd --help printed no usage: $out"
done
check "--check-config of the shipped config.yaml" in_root dhcp-processor --check-config >/dev/null

log "2. the operator's edit and data, then an upgrade to $version+test2 (ClickHouse answers now)"
port=18$((RANDOM % 800 + 100))
"$repo/storage/clickhouse/clickhouse.sh" start "$ch_dir" "$port" "$((port + 1000))" >/dev/null
printf 'clickhouse:\n  endpoint: http://127.0.0.1:%s\n' "$port" >>"$work/root/etc/dhcp-shield/config.yaml"
echo "operator data" >"$work/root/var/lib/dhcp-shield/kept"
in_root dpkg -i --force-confold /tmp/v2.deb >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; die "upgrade"; }
sed 's/^/    /' "$work/upgrade.log" >&2
check "version after upgrade" test "$(in_root dpkg-query -W -f '${Version}' dhcp-shield)" = "$version+test2"
check "the edited config.yaml kept" grep -q "endpoint: http://127.0.0.1:$port" "$work/root/etc/dhcp-shield/config.yaml"
check "the new config.yaml beside it" grep -q next_version_key "$work/root/etc/dhcp-shield/config.yaml.dpkg-dist"
check "data kept" test -f "$work/root/var/lib/dhcp-shield/kept"
grep -q "firewall rulesets: 3 shipped profiles stored" "$work/upgrade.log" || { cat "$work/upgrade.log"; die "seeding"; }
ch() { clickhouse-client --port "$((port + 1000))" --query "$1"; }
check "3 rulesets in ClickHouse" test "$(ch 'SELECT count() FROM dhcp_shield.firewall_rulesets FINAL')" = 3
rules="$(ch 'SELECT count() FROM dhcp_shield.automation_rules FINAL')"
check "seed automation rules in ClickHouse ($rules)" test "$rules" -ge 10

log "3. remove keeps config and data; purge removes them"
in_root dpkg -r dhcp-shield >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; die "dpkg -r"; }
sed 's/^/    /' "$work/remove.log" >&2
check "programs removed" test ! -e "$work/root/opt/dhcp-shield/lib/dhcp-processor.jar"
check "config kept after remove" test -f "$work/root/etc/dhcp-shield/config.yaml"
check "data kept after remove" test -f "$work/root/var/lib/dhcp-shield/kept"
check "user kept after remove" in_root getent passwd dhcp-shield >/dev/null
in_root dpkg -P dhcp-shield >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; die "dpkg -P"; }
sed 's/^/    /' "$work/purge.log" >&2
check "config gone after purge" test ! -e "$work/root/etc/dhcp-shield"
check "data gone after purge" test ! -e "$work/root/var/lib/dhcp-shield"
check "user gone after purge" test -z "$(in_root getent passwd dhcp-shield || true)"
check "group gone after purge" test -z "$(in_root getent group dhcp-shield || true)"
check "statoverride gone after purge" test -z "$(in_root dpkg-statoverride --list /etc/dhcp-shield/config.yaml || true)"
check "nothing of the package left" test -z "$(in_root dpkg-query -W -f '${Status}' dhcp-shield 2>/dev/null || true)"

log "install, upgrade, remove, purge: all checks passed in $((SECONDS - start)) s"
