#!/bin/bash
# Private ClickHouse server for tests, CI and the demo: its own folder, loopback only, non-default ports, UTC.
#
#   clickhouse.sh start  DIR [HTTP_PORT] [TCP_PORT]   writes DIR/conf, starts the server, waits for /ping, prints the PID
#   clickhouse.sh stop   DIR                           stops the server whose PID is in DIR/server.pid (TERM, then KILL)
#   clickhouse.sh kill   DIR                           SIGKILLs it at once (a test server whose folder goes next)
#   clickhouse.sh status DIR                           prints "running PID HTTP_PORT" or "stopped"; exit 0 / 3
#
# Installs nothing: needs the Debian packages clickhouse-server and clickhouse-client (the setup installs them).
# CLICKHOUSE_NICE=N starts the server at nice N (default 0).
# Data survives stop/start in the same DIR, so a test can stop the server and start it again.
set -euo pipefail

usage() { echo "usage: $0 start|stop|kill|status DIR [HTTP_PORT] [TCP_PORT]" >&2; exit 2; }
[ $# -ge 2 ] || usage
CMD=$1
D=$(realpath -m "$2")
PIDFILE="$D/server.pid"

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

case "$CMD" in
start)
  HTTP=${3:-18123}; TCP=${4:-19000}
  if pid=$(running_pid); then echo "already running: $pid" >&2; exit 1; fi
  SERVER=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
  [ -x "$SERVER" ] || { echo "clickhouse-server not found: install the Debian package clickhouse-server" >&2; exit 1; }
  mkdir -p "$D/conf" "$D/data/tmp" "$D/data/user_files" "$D/data/format_schemas" "$D/log"
  cat > "$D/conf/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$D/log/server.log</log><errorlog>$D/log/server.err.log</errorlog><size>10M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$HTTP</http_port>
    <tcp_port>$TCP</tcp_port>
    <path>$D/data/</path>
    <tmp_path>$D/data/tmp/</tmp_path>
    <user_files_path>$D/data/user_files/</user_files_path>
    <format_schema_path>$D/data/format_schemas/</format_schema_path>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>268435456</mark_cache_size>
    <timezone>UTC</timezone>
</yandex>
XML
  cat > "$D/conf/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
    <users><default>
        <password></password>
        <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
        <profile>default</profile><quota>default</quota>
    </default></users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  echo "$HTTP" > "$D/http_port"
  # CLICKHOUSE_NICE: a lower CPU priority for a server that shares the box with the processor (the demo, the
  # benchmark's whole appliance), so that inspection keeps the CPU when both cannot have it.
  TZ=UTC nohup nice -n "${CLICKHOUSE_NICE:-0}" "$SERVER" --config-file="$D/conf/config.xml" > "$D/log/stdout.log" 2>&1 < /dev/null &
  PID=$!
  echo "$PID" > "$PIDFILE"
  for _ in $(seq 1 400); do
    if curl -sf "http://127.0.0.1:$HTTP/ping" >/dev/null 2>&1; then echo "$PID"; exit 0; fi
    if ! kill -0 "$PID" 2>/dev/null; then
      cat "$D/log/stdout.log" "$D/log/server.err.log" >&2 2>/dev/null || true
      rm -f "$PIDFILE"; exit 1
    fi
    sleep 0.05
  done
  echo "clickhouse did not answer /ping on port $HTTP within 20 s" >&2
  kill "$PID" 2>/dev/null || true; rm -f "$PIDFILE"; exit 1
  ;;
stop)
  pid=$(running_pid) || { rm -f "$PIDFILE"; echo "stopped"; exit 0; }
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; echo "stopped"; exit 0; }
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"; echo "killed"
  ;;
kill)
  # For a server whose folder is thrown away next (a test's): no graceful shutdown (which waits up to
  # shutdown_wait_unfinished for open connections), just SIGKILL and wait for the exit.
  pid=$(running_pid) || { rm -f "$PIDFILE"; echo "stopped"; exit 0; }
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  rm -f "$PIDFILE"; echo "killed"
  ;;
status)
  if pid=$(running_pid); then echo "running $pid $(cat "$D/http_port" 2>/dev/null)"; exit 0; fi
  echo "stopped"; exit 3
  ;;
*) usage ;;
esac
