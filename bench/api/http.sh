#!/usr/bin/env bash
# API benchmark, HTTP: requests/s and latency of an events query (by MAC, one week, 100 per page) and a device summary
# over EVENTS stored events, through the real ApiServer, on a private ClickHouse 18.16 it starts and stops.
#   bench/api/http.sh [EVENTS=10000000] [SECONDS=20] [CONCURRENCY=8]
# Not a test: record the numbers in docs/performance.md ("## API").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME=${JAVA_HOME:-$(bin/newest-java --jdk)}
MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -ntp -q -o -pl api -am test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec "$JAVA_HOME/bin/java" -Xmx2g -Ddhcpshield.repo="$PWD" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "api/target/test-classes:api/target/classes:storage/target/test-classes:$(cat api/target/bench.classpath)" \
    io.dhcpshield.api.ApiBench "$@"
