#!/usr/bin/env bash
# Enforcement benchmark (as root): 10,000 block actions through the Action Manager in batches (actions/s), and
# 1,000,000 marks into llm_blocked_marks (time, kernel memory from /proc/meminfo). Runs in a scratch namespace.
# Usage: bench/enforcement/run.sh [--append-docs]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NS=enf-bench-$$
mvn -o -q -pl enforcement -am install -DskipTests >/dev/null
mvn -o -q -pl enforcement test-compile >/dev/null
mvn -q -pl enforcement dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/enf-bench.cp >/dev/null
CP=enforcement/target/classes:enforcement/target/test-classes:$(cat /tmp/enf-bench.cp)
JAVA="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $CP"
trap 'ip netns del $NS 2>/dev/null || true' EXIT
ip netns add $NS
ip netns exec $NS $JAVA io.dhcpshield.enforcement.EnforcementTool install medium xt >/dev/null
OUT=$(ip netns exec $NS $JAVA io.dhcpshield.enforcement.action.ActionBench)
echo "$OUT"
if [[ "${1:-}" == "--append-docs" ]]; then
  {
    echo
    echo "### Enforcement run $(date -u +%Y-%m-%dT%H:%MZ) ($(nproc) cores, kernel $(uname -r), nftables $(nft --version | awk '{print $2}'))"
    echo '```'
    echo "$OUT"
    echo '```'
  } >> docs/performance.md
fi
