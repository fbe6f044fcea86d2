#!/usr/bin/env bash
# Local infrastructure for Weft: PostgreSQL (+pgvector), Redis and a real Apache Kafka broker
# (KRaft), all as plain processes on 127.0.0.1. Idempotent: installs what is missing, starts what
# is stopped, leaves running pieces alone.
#
#   deploy/local/infra.sh up | down | status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT=5432
REDIS_PORT=6379
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_HOME="$WEFT_STATE/kafka"
KAFKA_LIB="$KAFKA_HOME/lib"
KAFKA_LOG="$WEFT_LOGS/kafka.log"
KAFKA_PID="$WEFT_RUN/kafka.pid"
REDIS_LOG="$WEFT_LOGS/redis.log"
REDIS_PID="$WEFT_RUN/redis.pid"
DB_USER="${WEFT_DB_USER:-weft}"
DB_PASSWORD="${WEFT_DB_PASSWORD:-weft}"
# pgvector 0.8.0 source as Debian ships it; sha256 from Debian's trixie Sources index.
PGVECTOR_VERSION=0.8.0
PGVECTOR_SHA256=867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0

# ---------------------------------------------------------------- PostgreSQL
pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -1; }
pg_log() { echo "/var/log/postgresql/postgresql-$(pg_version)-main.log"; }
pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
pg_pid() {
  local dir; dir="$(pg_lsclusters -h 2>/dev/null | awk '$2=="main" {print $6; exit}')"
  [ -n "$dir" ] && head -1 "$dir/postmaster.pid" 2>/dev/null || true
}
postgres_up() {
  if [ -z "$(pg_version)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql postgresql
  fi
  local v; v="$(pg_version)"
  [ -n "$v" ] || die postgresql "" "installed, but no cluster exists under /etc/postgresql (create one with pg_createcluster)"
  if ! pg_ready; then
    port_open "$PG_PORT" && die postgresql "" "port $PG_PORT is taken by another process that is not a ready PostgreSQL"
    say "postgresql: starting cluster $v/main"
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >>"$WEFT_LOGS/postgresql-start.log" 2>&1 \
      || die postgresql "$(pg_log)" "pg_ctlcluster $v main start failed (also see $WEFT_LOGS/postgresql-start.log)"
    touch "$WEFT_RUN/postgresql.started-by-weft"
    wait_until 30 pg_ready || die postgresql "$(pg_log)" "not ready on 127.0.0.1:$PG_PORT after 30 s"
  fi
  pgvector_install "$v"
  postgres_databases
}

apt_mirror() {
  local uri
  uri="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -1)"
  echo "${uri%/}"
}

pgvector_install() {
  local v="$1"
  [ -f "/usr/share/postgresql/$v/extension/vector.control" ] && return 0
  if apt-cache show "postgresql-$v-pgvector" >/dev/null 2>&1; then
    apt_install pgvector "postgresql-$v-pgvector"
    return 0
  fi
  # Debian 12 has no pgvector package: build Debian's own source against the running server.
  local log="$WEFT_LOGS/install-pgvector.log" server_version build
  server_version="$(dpkg-query -W -f='${Version}' "postgresql-$v" 2>/dev/null)"
  command -v make >/dev/null && command -v gcc >/dev/null || apt_install pgvector build-essential
  [ -x "/usr/lib/postgresql/$v/bin/pg_config" ] && [ -d "/usr/include/postgresql/$v/server" ] \
    || apt_install pgvector "postgresql-server-dev-$v=$server_version"
  build="$WEFT_STATE/build/pgvector"
  rm -rf "$build" && mkdir -p "$build"
  local tarball="$build/pgvector_$PGVECTOR_VERSION.orig.tar.gz"
  local url="${WEFT_DEBIAN_MIRROR:-$(apt_mirror)}"
  url="${url:-http://deb.debian.org/debian}/pool/main/p/pgvector/pgvector_$PGVECTOR_VERSION.orig.tar.gz"
  say "pgvector: building $PGVECTOR_VERSION from $url (log: $log)"
  curl -fsSL -o "$tarball" "$url" >"$log" 2>&1 || die pgvector "$log" "download of $url failed"
  echo "$PGVECTOR_SHA256  $tarball" | sha256sum -c - >>"$log" 2>&1 || die pgvector "$log" "checksum mismatch for $tarball"
  tar -xzf "$tarball" -C "$build" --strip-components=1
  # OPTFLAGS="" keeps -march=native out, so the library runs on any x86-64 machine.
  if ! (cd "$build" && make PG_CONFIG="/usr/lib/postgresql/$v/bin/pg_config" OPTFLAGS="" \
        && make PG_CONFIG="/usr/lib/postgresql/$v/bin/pg_config" OPTFLAGS="" install) >>"$log" 2>&1; then
    die pgvector "$log" "build or install failed"
  fi
  say "pgvector: installed"
}

postgres_databases() {
  psql_admin -d postgres <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SQL
  local name ext db created=()
  while read -r name ext; do
    case "$name" in ''|'#'*) continue ;; esac
    for db in "$name" "${name}_test"; do
      if [ -z "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
        psql_admin -d postgres -c "CREATE DATABASE \"$db\" OWNER \"$DB_USER\"" && created+=("$db")
      fi
      if [ "$ext" = vector ]; then
        psql_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector" 2>/dev/null \
          || die pgvector "$WEFT_LOGS/install-pgvector.log" "CREATE EXTENSION vector failed in $db"
      fi
    done
  done <"$WEFT_ROOT/deploy/local/databases.conf"
  [ ${#created[@]} -gt 0 ] && say "postgresql: created ${created[*]}"
  return 0
}

# ---------------------------------------------------------------- Redis
redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
redis_up() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis redis-server
  redis_ready && return 0
  port_open "$REDIS_PORT" && die redis "$REDIS_LOG" "port $REDIS_PORT is taken by another process that does not answer PING"
  say "redis: starting on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$WEFT_STATE/redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$WEFT_STATE/redis" --logfile "$REDIS_LOG" --pidfile "$REDIS_PID" >/dev/null 2>>"$REDIS_LOG" \
    || die redis "$REDIS_LOG" "redis-server did not start"
  wait_until 10 redis_ready || die redis "$REDIS_LOG" "not answering PING after 10 s"
}

# ---------------------------------------------------------------- Kafka
kafka_fetch() {
  [ -f "$KAFKA_LIB/.complete" ] && return 0
  local log="$WEFT_LOGS/install-kafka.log"
  say "kafka: resolving broker jars from Maven Central (log: $log)"
  rm -rf "$KAFKA_LIB" && mkdir -p "$KAFKA_LIB"
  "$WEFT_ROOT/mvnw" -B -q -f "$WEFT_ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIB" -DincludeScope=runtime >"$log" 2>&1 \
    || die kafka "$log" "could not resolve the Kafka broker jars"
  touch "$KAFKA_LIB/.complete"
}

kafka_configure() {
  mkdir -p "$KAFKA_HOME/data"
  cat >"$KAFKA_HOME/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=24
PROPS
  cat >"$KAFKA_HOME/log4j2.properties" <<'PROPS'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = warn
logger.kafkaorg.name = org.apache.kafka
logger.kafkaorg.level = warn
PROPS
  if [ ! -f "$KAFKA_HOME/data/meta.properties" ]; then
    local id
    id="$(java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOG" | tail -1)"
    java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
      kafka.tools.StorageTool format --standalone -t "$id" -c "$KAFKA_HOME/server.properties" >>"$KAFKA_LOG" 2>&1 \
      || die kafka "$KAFKA_LOG" "formatting the KRaft storage failed"
  fi
}

kafka_up() {
  require_jdk
  if pid_alive "$KAFKA_PID"; then
    port_open "$KAFKA_PORT" || wait_until 30 port_open "$KAFKA_PORT" || die kafka "$KAFKA_LOG" "running but not listening on $KAFKA_PORT"
  else
    kafka_fetch
    if port_open "$KAFKA_PORT"; then
      # Another checkout's broker (or one run by hand) already serves the port: use it if it is Kafka.
      say "kafka: port $KAFKA_PORT is already served by a process this checkout did not start; using it if it is a Kafka broker"
      kafka_topics
      return 0
    fi
    port_open "$KAFKA_CONTROLLER_PORT" && die kafka "$KAFKA_LOG" "port $KAFKA_CONTROLLER_PORT is taken by a process this script did not start"
    kafka_configure
    say "kafka: starting broker on 127.0.0.1:$KAFKA_PORT (log: $KAFKA_LOG)"
    nohup java -Xms256m -Xmx512m -XX:+UseSerialGC -cp "$KAFKA_LIB/*" \
      -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
      kafka.Kafka "$KAFKA_HOME/server.properties" >>"$KAFKA_LOG" 2>&1 &
    echo $! >"$KAFKA_PID"
    if ! wait_until 60 port_open "$KAFKA_PORT"; then
      pid_alive "$KAFKA_PID" || die kafka "$KAFKA_LOG" "the broker exited during start-up"
      die kafka "$KAFKA_LOG" "not listening on $KAFKA_PORT after 60 s"
    fi
  fi
  kafka_topics
}

kafka_topics() {
  local specs=() name partitions
  while read -r name partitions; do
    case "$name" in ''|'#'*) continue ;; esac
    # each topic twice: the fleet's, and the tests' own (weft.kafka.topic-prefix=test. in the test profile)
    specs+=("$name:${WEFT_KAFKA_PARTITIONS:-$partitions}" "test.$name:${WEFT_KAFKA_PARTITIONS:-$partitions}")
  done <"$WEFT_ROOT/deploy/local/topics.conf"
  java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
    "$WEFT_ROOT/deploy/local/kafka/EnsureTopics.java" "127.0.0.1:$KAFKA_PORT" "${specs[@]}" \
    >>"$WEFT_LOGS/kafka-topics.log" 2>&1 \
    || die kafka "$WEFT_LOGS/kafka-topics.log" "no Kafka broker answered on 127.0.0.1:$KAFKA_PORT, or creating topics failed"
  say "kafka: topics ready ($(sed -n 's/^\(created\|kept\|grew\) \([^ ]*\).*/\2/p' "$WEFT_LOGS/kafka-topics.log" | sort -u | wc -l) topics)"
}

stop_pid_file() {
  local piece="$1" file="$2" grace="${3:-20}"
  pid_alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid="$(cat "$file")"
  say "$piece: stopping (pid $pid)"
  kill "$pid" 2>/dev/null || true
  wait_until "$grace" bash -c "! kill -0 $pid 2>/dev/null" || { warn "$piece: still running after ${grace}s, killing"; kill -9 "$pid" 2>/dev/null || true; }
  rm -f "$file"
}

# ---------------------------------------------------------------- commands
status_line() { printf '  %-12s %-7s %-6s %-8s %s\n' "$@"; }
status() {
  status_line PIECE STATE PORT PID LOG
  if pg_ready; then status_line postgresql up "$PG_PORT" "$(pg_pid)" "$(pg_log)"; else status_line postgresql down "$PG_PORT" - "$(pg_log)"; fi
  if redis_ready; then
    status_line redis up "$REDIS_PORT" "$(redis-cli -p "$REDIS_PORT" info server | awk -F: '/^process_id/ {print $2}' | tr -d '\r')" "$REDIS_LOG"
  else status_line redis down "$REDIS_PORT" - "$REDIS_LOG"; fi
  if pid_alive "$KAFKA_PID" && port_open "$KAFKA_PORT"; then status_line kafka up "$KAFKA_PORT" "$(cat "$KAFKA_PID")" "$KAFKA_LOG"
  elif port_open "$KAFKA_PORT"; then status_line kafka foreign "$KAFKA_PORT" ? "(not started by weft)"
  else status_line kafka down "$KAFKA_PORT" - "$KAFKA_LOG"; fi
}

case "${1:-}" in
  up)
    postgres_up
    redis_up
    kafka_up
    say "infrastructure is up"
    status
    ;;
  down)
    stop_pid_file kafka "$KAFKA_PID" 30
    stop_pid_file redis "$REDIS_PID" 10
    if [ -f "$WEFT_RUN/postgresql.started-by-weft" ]; then
      say "postgresql: stopping cluster $(pg_version)/main"
      pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main stop || true
      rm -f "$WEFT_RUN/postgresql.started-by-weft"
    fi
    say "infrastructure stopped (pieces this script did not start were left running)"
    ;;
  status) status ;;
  *) echo "usage: $0 up | down | status" >&2; exit 2 ;;
esac
