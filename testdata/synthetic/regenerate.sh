#!/usr/bin/env bash
# Regenerates the synthetic captures and their tshark dissections (see README.md):
#   1. builds core and transport, compiles cli's tests;
#   2. runs io.dhcpshield.cli.SyntheticCaptures, which writes every *.pcap here (deterministic bytes and times);
#   3. runs `tshark -r X.pcap -T json --no-duplicate-keys -x > X.json` for each, exactly as for testdata/corpus.
# tshark runs with an empty configuration directory (personal preferences cannot change the dissection) and TZ=UTC
# (frame.time is printed in local time).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
EXPECTED_TSHARK="4.0.17"
version="$(tshark --version | head -1)"
if [[ "$version" != *"$EXPECTED_TSHARK"* ]]; then
  echo "warning: $version; the committed dissections were made with tshark $EXPECTED_TSHARK" >&2
fi

mvn -q -B install -DskipTests -pl core,transport
mvn -q -B -pl cli test-compile
classpath_file="$(mktemp)"
config_dir="$(mktemp -d)"
trap 'rm -rf "$classpath_file" "$config_dir"' EXIT
mvn -q -B -pl cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

rm -f "$HERE"/*.pcap "$HERE"/*.json
"${JAVA_HOME:+$JAVA_HOME/bin/}java" --enable-native-access=ALL-UNNAMED \
  -cp "cli/target/test-classes:cli/target/classes:$(cat "$classpath_file")" \
  io.dhcpshield.cli.SyntheticCaptures "$HERE"

tshark_err="$config_dir/stderr"
for pcap in "$HERE"/*.pcap; do
  if ! TZ=UTC WIRESHARK_CONFIG_DIR="$config_dir" tshark -r "$pcap" -T json --no-duplicate-keys -x \
      > "${pcap%.pcap}.json" 2> "$tshark_err"; then
    cat "$tshark_err" >&2
    exit 1
  fi
done
echo "regenerated $(ls "$HERE"/*.pcap | wc -l) captures in $HERE"
