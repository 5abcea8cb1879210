#!/usr/bin/env bash
# Storage benchmark: events -> EventWriter -> RowBinary/HTTP -> rows visible in dhcp_events, on a private
# ClickHouse 18.16 it starts and stops (needs the Debian packages clickhouse-server clickhouse-client).
#   bench/storage/run.sh [EVENTS=2000000] [PACED_RATES=200000[,300000...]] [BATCH=100000]
# Not a test: the numbers depend on the machine; record them in docs/performance.md ("## Storage").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -q -pl storage test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
exec "$JAVA_HOME/bin/java" -Xmx1g -Ddhcpshield.repo="$PWD" \
    -cp "storage/target/test-classes:storage/target/classes:$(cat storage/target/bench.classpath)" \
    io.dhcpshield.storage.StorageBench "$@"
