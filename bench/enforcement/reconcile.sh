#!/usr/bin/env bash
# Reconcile at scale (as root): llm_blocked_marks with 910,000 elements (10,000 held by the Action Manager),
# reconcile through netlink lookups, KernelState over netlink, and (with --with-full-reads) the full reads:
# netlink dump vs libnftables JSON. Runs in a scratch namespace.
# Usage: bench/enforcement/reconcile.sh [--with-full-reads]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NS=enf-rec-$$
mvn -o -q -pl enforcement -am install -DskipTests >/dev/null 2>&1
mvn -o -q -pl enforcement test-compile >/dev/null 2>&1
mvn -q -pl enforcement dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/enf-rec.cp >/dev/null 2>&1
CP=enforcement/target/classes:enforcement/target/test-classes:$(cat /tmp/enf-rec.cp)
JAVA="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $CP"
trap 'ip netns del $NS 2>/dev/null || true' EXIT
ip netns add $NS
ip netns exec $NS $JAVA io.dhcpshield.enforcement.EnforcementTool install medium xt >/dev/null
echo '| step | seconds | result |'
echo '|---|---:|---|'
ip netns exec $NS $JAVA io.dhcpshield.enforcement.action.ReconcileBench "${1:-}"
