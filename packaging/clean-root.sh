#!/usr/bin/env bash
# packaging/clean-root.sh: makes (once) and prints the clean Debian root the package's install tests work on
# (with --deb [DEB]: prints the package they install instead).
#
# debootstrap --variant=minbase bookworm with the package's dependencies (default-jre-headless, nftables, iptables,
# libpcap0.8, adduser) and a real init (systemd, systemd-sysv, dbus: test-systemd.sh boots it), from the machine's
# Debian mirror, into $DHCP_SHIELD_CACHE/bookworm-root (default /var/cache/dhcp-shield; outside the repository,
# reused by every run; the tests only ever use overlays of it). 1.5 to 3 minutes the first time, nothing after.
# Needs root and debootstrap.
set -euo pipefail

cache="${DHCP_SHIELD_CACHE:-/var/cache/dhcp-shield}"
root="$cache/bookworm-root"
deps="default-jre-headless,nftables,iptables,libpcap0.8,adduser,systemd,systemd-sysv,dbus"
log() { printf '\033[1m[clean-root]\033[0m %s\n' "$*" >&2; }

# clean-root.sh --deb [DEB]: the package the install tests take: DEB, else the build's; its absolute path, or exit 1.
if [[ "${1:-}" == "--deb" ]]; then
  deb="${2:-}"
  if [[ -z "$deb" ]]; then
    deb="$(ls "$(dirname "${BASH_SOURCE[0]}")"/target/dhcp-shield_*_all.deb 2>/dev/null | head -n 1 || true)"
  fi
  [[ -f "$deb" ]] || exit 1
  readlink -f "$deb"
  exit 0
fi

if [[ ! -f "$root/.complete" ]]; then
  [[ $EUID -eq 0 ]] || { log "needs root (debootstrap)"; exit 1; }
  command -v debootstrap >/dev/null || { log "needs debootstrap (apt-get install debootstrap)"; exit 1; }
  mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  log "making the clean root once: debootstrap --variant=minbase bookworm + $deps into $root ($mirror)"
  mkdir -p "$cache"
  # Two runs at once (CI's background start and a test) must not debootstrap into the same folder.
  exec 9>"$cache/.lock"
  flock 9
  if [[ ! -f "$root/.complete" ]]; then
    rm -rf "$root"
    debootstrap --variant=minbase --include="$deps" bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
      || { log "debootstrap failed (see $cache/debootstrap.log)"; exit 1; }
    # Nothing installed into it by a chroot may start a service (a booted root ignores this: systemctl starts them).
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    rm -rf "$root"/var/cache/apt/archives/*.deb
    touch "$root/.complete"
  fi
fi
echo "$root"
