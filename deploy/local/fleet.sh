#!/usr/bin/env bash
# The seven Weft services as local processes on 127.0.0.1 (JVM mode).
#
#   deploy/local/fleet.sh up [--no-build] | down | status | replica SERVICE PORT
#
# "up" builds the fleet (unless --no-build), starts every service that is not running, waits
# until each answers /q/health/ready, and prints start-up time, memory and log of each.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

READY_TIMEOUT="${WEFT_READY_TIMEOUT:-240}"
JAVA_OPTS="${WEFT_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}"

services() { grep -vE '^\s*(#|$)' "$WEFT_ROOT/deploy/local/services.conf"; }
pid_file() { echo "$WEFT_RUN/$1.pid"; }
log_file() { echo "$WEFT_LOGS/$1.log"; }
now_ms() { date +%s%3N; }
ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/q/health/ready"; }
# The start-up time Quarkus itself reports, e.g. "started in 1.874s".
quarkus_started_in() { grep -o 'started in [0-9.]*s' "$(log_file "$1")" 2>/dev/null | tail -1 | awk '{print $3}'; }

build() {
  local log="$WEFT_LOGS/build.log" start; start=$(now_ms)
  say "fleet: building every module, tests skipped (log: $log)"
  "$WEFT_ROOT/mvnw" -B -DskipTests install >"$log" 2>&1 || die build "$log" "the Maven build failed"
  say "fleet: built in $(( ($(now_ms) - start) / 1000 )) s"
}

# Key pairs the fleet needs; in Kubernetes they come from Secrets instead.
#   access-*:   RS256, the gateway signs user access tokens and verifies them
#   internal-*: ES256, the gateway signs internal tokens, every service verifies them
ensure_keys() {
  local dir="$WEFT_STATE/keys" log="$WEFT_LOGS/keys.log"
  export WEFT_ACCESS_TOKEN_PRIVATE_KEY="$dir/access-private.pem"
  export WEFT_ACCESS_TOKEN_PUBLIC_KEY="$dir/access-public.pem"
  export WEFT_INTERNAL_TOKEN_PRIVATE_KEY="$dir/internal-private.pem"
  export WEFT_INTERNAL_TOKEN_PUBLIC_KEY="$dir/internal-public.pem"
  command -v openssl >/dev/null 2>&1 || apt_install keys openssl
  mkdir -p "$dir" && chmod 700 "$dir"
  generate_pair "$dir/access" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
  generate_pair "$dir/internal" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
  # credentials-service's key-encryption key (wraps tenants' data keys).
  [ -f "$dir/credentials-kek.key" ] || { openssl rand -base64 32 | tr -d '\n' >"$dir/credentials-kek.key"; chmod 600 "$dir/credentials-kek.key"; }
  export WEFT_CREDENTIALS_KEK="$(cat "$dir/credentials-kek.key")"
  # The operator "ops" and its key for the operator API (/api/operator/**); the gateway gets only its SHA-256.
  [ -f "$dir/operator.key" ] || { openssl rand -base64 32 | tr -d '\n' >"$dir/operator.key"; chmod 600 "$dir/operator.key"; }
  export WEFT_OPERATOR_KEY_SHA256="$(tr -d '\n' <"$dir/operator.key" | sha256sum | cut -d' ' -f1)"
  # Each service's secret for /internal/service-tokens; the gateway gets only their SHA-256.
  local service upper
  for service in workflow compiler executor credentials logs inference; do
    [ -f "$dir/$service.secret" ] || { openssl rand -base64 32 | tr -d '\n' >"$dir/$service.secret"; chmod 600 "$dir/$service.secret"; }
    upper="$(echo "$service" | tr '[:lower:]' '[:upper:]')"
    export "WEFT_${upper}_SECRET_SHA256=$(tr -d '\n' <"$dir/$service.secret" | sha256sum | cut -d' ' -f1)"
  done
}

generate_pair() {
  local base="$1"; shift
  [ -f "$base-private.pem" ] && [ -f "$base-public.pem" ] && return 0
  { openssl genpkey "$@" -out "$base-private.pem" && openssl pkey -in "$base-private.pem" -pubout -out "$base-public.pem"; } \
    >"$WEFT_LOGS/keys.log" 2>&1 || die keys "$WEFT_LOGS/keys.log" "could not generate $base-*.pem"
  chmod 600 "$base-private.pem"
  say "keys: generated $(basename "$base") key pair in $(dirname "$base")"
}

start_service() {
  local name="$1" port="$2" jar="$WEFT_ROOT/$1/target/quarkus-app/quarkus-run.jar"
  if pid_alive "$(pid_file "$name")"; then
    say "$name: already running (pid $(cat "$(pid_file "$name")"))"
    return 0
  fi
  [ -f "$jar" ] || die "$name" "" "$jar is missing: build first (deploy/local/fleet.sh up without --no-build)"
  port_open "$port" && die "$name" "$(log_file "$name")" "port $port is taken by another process"
  local secret_file="$WEFT_STATE/keys/${name%-service}.secret" secret=""
  [ -f "$secret_file" ] && secret="$(cat "$secret_file")"
  # shellcheck disable=SC2086
  (cd "$WEFT_ROOT/$name" && WEFT_SERVICE_SECRET="$secret" exec nohup "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$jar" \
    >"$(log_file "$name")" 2>&1) &
  echo $! >"$(pid_file "$name")"
  echo "$(now_ms)" >"$WEFT_RUN/$name.started"
}

wait_ready() {
  local name="$1" port="$2" deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until ready "$port"; do
    pid_alive "$(pid_file "$name")" || die "$name" "$(log_file "$name")" "exited during start-up"
    [ "$(date +%s)" -ge "$deadline" ] && die "$name" "$(log_file "$name")" "not ready on port $port after $READY_TIMEOUT s: $(curl -s --max-time 2 "http://127.0.0.1:$port/q/health/ready" || echo 'no answer')"
    sleep 0.2
  done
  [ -f "$WEFT_RUN/$name.ready-ms" ] || echo $(( $(now_ms) - $(cat "$WEFT_RUN/$name.started") )) >"$WEFT_RUN/$name.ready-ms"
}

row() { printf '  %-20s %-6s %-7s %-8s %-10s %-10s %-8s %s\n' "$@"; }
table() {
  row SERVICE PORT STATE PID READY-IN STARTED-IN RSS-MB LOG
  local name port pid state ready_in
  while read -r name port; do
    pid=-; state=down; ready_in=-
    if pid_alive "$(pid_file "$name")"; then
      pid="$(cat "$(pid_file "$name")")"
      if ready "$port"; then state=ready; else state=starting; fi
    fi
    [ -f "$WEFT_RUN/$name.ready-ms" ] && ready_in="$(awk '{printf "%.1fs", $1/1000}' "$WEFT_RUN/$name.ready-ms")"
    row "$name" "$port" "$state" "$pid" "$ready_in" "$(quarkus_started_in "$name" || true)" \
      "$([ "$pid" = - ] && echo - || rss_mb "$pid")" "$(log_file "$name")"
  done < <(services)
}

up() {
  require_jdk
  [ "${1:-}" = "--no-build" ] || build
  ensure_keys
  local begin name port; begin=$(now_ms)
  while read -r name port; do
    rm -f "$WEFT_RUN/$name.ready-ms"
    start_service "$name" "$port"
  done < <(services)
  say "fleet: waiting for every service to be ready (up to $READY_TIMEOUT s each)"
  while read -r name port; do
    wait_ready "$name" "$port"
    say "$name: ready on http://127.0.0.1:$port"
  done < <(services)
  say "fleet: all services ready $(( ($(now_ms) - begin) / 1000 )) s after launch"
  table
  say "gateway: http://127.0.0.1:8080   (health: /q/health, metrics: /q/metrics, OpenAPI: /q/openapi)"
}

down() {
  local name port pid
  while read -r name port; do
    pid_alive "$(pid_file "$name")" || { rm -f "$(pid_file "$name")"; continue; }
    pid="$(cat "$(pid_file "$name")")"
    say "$name: stopping (pid $pid)"
    kill "$pid" 2>/dev/null || true
  done < <(services)
  while read -r name port; do
    [ -f "$(pid_file "$name")" ] || continue
    pid="$(cat "$(pid_file "$name")")"
    wait_until 30 bash -c "! kill -0 $pid 2>/dev/null" || { warn "$name: still running after 30 s, killing"; kill -9 "$pid" 2>/dev/null || true; }
    rm -f "$(pid_file "$name")" "$WEFT_RUN/$name.started" "$WEFT_RUN/$name.ready-ms"
  done < <(services)
  say "fleet stopped"
}

# replica NAME PORT: one more instance of a built service on another port, with the fleet's keys
# (e.g. a second workflow-service, as Kubernetes would run); prints its PID once it is ready.
# "down" does not know it: stop it with kill.
replica() {
  local name="$1" port="$2" jar="$WEFT_ROOT/$1/target/quarkus-app/quarkus-run.jar" log="$WEFT_LOGS/$1-$2.log"
  require_jdk
  ensure_keys
  [ -f "$jar" ] || die "$name" "" "$jar is missing: build first"
  port_open "$port" && die "$name" "$log" "port $port is taken by another process"
  local secret_file="$WEFT_STATE/keys/${name%-service}.secret" secret="" pid deadline=$(( $(date +%s) + READY_TIMEOUT ))
  [ -f "$secret_file" ] && secret="$(cat "$secret_file")"
  # shellcheck disable=SC2086
  (cd "$WEFT_ROOT/$name" && WEFT_SERVICE_SECRET="$secret" QUARKUS_HTTP_PORT="$port" exec nohup "$JAVA_HOME/bin/java" $JAVA_OPTS \
    -jar "$jar" >"$log" 2>&1) &
  pid=$!
  until ready "$port"; do
    kill -0 "$pid" 2>/dev/null || die "$name" "$log" "the replica on port $port exited during start-up"
    [ "$(date +%s)" -ge "$deadline" ] && { kill "$pid"; die "$name" "$log" "the replica is not ready on port $port after $READY_TIMEOUT s"; }
    sleep 0.2
  done
  echo "$pid"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) table ;;
  replica) [ $# -eq 3 ] || { echo "usage: $0 replica SERVICE PORT" >&2; exit 2; }; replica "$2" "$3" ;;
  *) echo "usage: $0 up [--no-build] | down | status | replica SERVICE PORT" >&2; exit 2 ;;
esac
