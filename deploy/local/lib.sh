# Shared helpers for Weft's local scripts. Sourced, not executed.
# shellcheck shell=bash

WEFT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WEFT_STATE="${WEFT_STATE:-$WEFT_ROOT/.weft}"
WEFT_LOGS="$WEFT_STATE/logs"
WEFT_RUN="$WEFT_STATE/run"
mkdir -p "$WEFT_LOGS" "$WEFT_RUN"

say()  { printf '\033[1m[weft]\033[0m %s\n' "$*"; }
warn() { printf '\033[33m[weft]\033[0m %s\n' "$*" >&2; }
# die PIECE LOGFILE MESSAGE...: stop with a message that names the piece and where to look.
die()  {
  local piece="$1" log="$2"; shift 2
  printf '\033[31m[weft] %s: %s\033[0m\n' "$piece" "$*" >&2
  [ -n "$log" ] && printf '\033[31m[weft] %s log: %s\033[0m\n' "$piece" "$log" >&2
  exit 1
}

# port_open PORT: true when something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive FILE: true when FILE names a running process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# rss_mb PID: resident memory in MiB.
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# java_major JAVA_BIN: the feature release of a java executable.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

# require_jdk: exports JAVA_HOME to a JDK 21 or newer (with javac), or stops with a clear message.
require_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      local major; major="$(java_major "$c/bin/java")"
      if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
        export JAVA_HOME="$c"
        export PATH="$JAVA_HOME/bin:$PATH"
        return 0
      fi
    fi
  done
  die "jdk" "" "no JDK 21 or newer found (looked at \$JAVA_HOME, javac on PATH, /usr/lib/jvm, /opt). Install one, e.g. 'apt-get install -y openjdk-21-jdk' where available or a Temurin 21+/25 JDK, or set JAVA_HOME."
}

# apt_install PIECE PACKAGE...: installs Debian packages, stopping with a named failure.
apt_install() {
  local piece="$1"; shift
  local log="$WEFT_LOGS/install-$piece.log"
  command -v apt-get >/dev/null 2>&1 || die "$piece" "" "missing and apt-get is not available: install $* by hand"
  say "$piece: installing $* (log: $log)"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } >"$log" 2>&1; then
    die "$piece" "$log" "installing $* failed"
  fi
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.2 s; false on timeout.
wait_until() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# psql_admin ARGS...: psql as the postgres superuser on the local cluster (socket as root, else TCP).
psql_admin() {
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@")
  else
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${PG_PORT:-5432}" -U postgres "$@"
  fi
}

# json EXPR: the value at EXPR (e.g. "['items'][0]['id']") of the JSON on standard input.
json() { python3 -c "import sys, json; d = json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

# api METHOD PATH [BODY]: the answer's body from the gateway ($GATEWAY, bearer $TOKEN when set);
# stops with the status and the start of the answer when it is not 2xx.
# operator_api METHOD PATH [BODY]: the operator API as the local operator "ops" (key in .weft/keys/operator.key).
operator_api() {
  TOKEN="$(cat "$WEFT_STATE/keys/operator.key")" api "$@"
}

api() {
  local method="$1" path="$2" body="${3:-}" out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' --max-time 20 -X "$method" "${GATEWAY:-http://127.0.0.1:8080}$path" \
    -H "authorization: Bearer ${TOKEN:-}" -H 'content-type: application/json' ${body:+-d "$body"})
  if [[ "$status" != 2* ]]; then
    printf '\033[31m[weft] %s %s answered %s: %s\033[0m\n' "$method" "$path" "$status" "$(head -c 400 "$out")" >&2
    rm -f "$out"; exit 1
  fi
  cat "$out"; rm -f "$out"
}
