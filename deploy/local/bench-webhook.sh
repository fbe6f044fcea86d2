#!/usr/bin/env bash
# Load on a synchronous webhook of the running fleet (issue 6): signs up an organisation, moves it
# to the enterprise tier (a free one runs 5 executions at once), creates and activates the workflow
# Webhook → Set → If → Respond to Webhook, then drives it with wrk on loopback and prints wrk's
# figures and the CPU each process spent during the measured run.
#
#   deploy/local/bench-webhook.sh [connections] [seconds] [target]
#     connections  default 16
#     seconds      of the measured run, default 20 (after a warm-up run of the same length)
#     target       workflow (straight to workflow-service, default) or gateway
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${1:-16}"
SECONDS_MEASURED="${2:-20}"
TARGET="${3:-workflow}"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]{0,3}$ && "$SECONDS_MEASURED" =~ ^[1-9][0-9]{0,3}$ ]] \
  || { echo "usage: deploy/local/bench-webhook.sh [connections] [seconds] [workflow|gateway]" >&2; exit 2; }
THREADS=$(( CONNECTIONS < 2 ? 1 : 2 ))
GATEWAY=http://127.0.0.1:8080
case "$TARGET" in
  workflow) BASE=http://127.0.0.1:8081 ;;
  gateway) BASE="$GATEWAY" ;;
  *) echo "target: workflow or gateway" >&2; exit 2 ;;
esac
command -v wrk >/dev/null 2>&1 || apt_install wrk wrk
curl -fs -o /dev/null --max-time 2 "$GATEWAY/q/health/ready" || die "bench" "" "the fleet is not running: ./weft up first"

say "bench: an enterprise organisation and its workflow"
EMAIL="bench-$(date +%s%N)@weft.example"
PASSWORD="bench password of weft 1"
SIGNED_UP=$(api POST /api/auth/signup "{\"organisation\":\"Bench\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
# A new organisation is free (there is no billing here); the benchmark's operator moves it.
TENANT=$(echo "$SIGNED_UP" | json "['user']['tenantId']")
[ "$(operator_api PUT "/api/operator/tenants/$TENANT/tier" '{"tier":"enterprise"}' | json "['tier']")" = enterprise ] \
  || die "bench" "" "the operator could not move the new organisation to the enterprise tier"
TOKEN=$(echo "$SIGNED_UP" | json "['accessToken']")
DEFINITION='{"name":"Bench","nodes":[
 {"id":"hook","name":"Hook","type":"trigger.webhook","typeVersion":1,
  "parameters":{"method":"POST","path":"orders","respond":"usingRespondNode","responseTimeoutMs":10000}},
 {"id":"price","name":"Price","type":"core.set","typeVersion":1,
  "parameters":{"fields":[{"name":"total","value":"{{ $json.body.amount }}"}]}},
 {"id":"big","name":"Big","type":"core.if","typeVersion":1,
  "parameters":{"conditions":[{"left":"{{ $json.total }}","operator":"gt","right":100}]}},
 {"id":"answer","name":"Answer","type":"core.respondToWebhook","typeVersion":1,
  "parameters":{"respondWith":"json","json":{"accepted":true,"total":"{{ $json.total }}"}}}],
 "connections":[{"from":{"node":"hook","port":"main"},"to":{"node":"price","port":"main"}},
  {"from":{"node":"price","port":"main"},"to":{"node":"big","port":"main"}},
  {"from":{"node":"big","port":"true"},"to":{"node":"answer","port":"main"}}]}'
WORKFLOW=$(api POST /api/orchestrator/workflows "{\"definition\":$DEFINITION}" | json "['id']")
api POST "/api/orchestrator/workflows/$WORKFLOW/activate" >/dev/null
URL="$BASE$(api GET "/api/orchestrator/workflows/$WORKFLOW/webhooks" | json "['webhooks'][0]['url']")"
ANSWER=$(curl -fsS --max-time 15 -X POST "$URL" -H 'content-type: application/json' -d '{"amount":150}')
[ "$(echo "$ANSWER" | json "['accepted']")" = True ] || die "bench" "" "the webhook answered $ANSWER"

SCRIPT=$(mktemp --suffix=.lua)
trap 'rm -f "$SCRIPT"' EXIT
cat > "$SCRIPT" <<'LUA'
wrk.method = "POST"; wrk.body = '{"amount":150}'; wrk.headers["Content-Type"] = "application/json"
LUA

# cpu_ticks PATTERN: CPU ticks (user + system) of the processes whose command line matches.
cpu_ticks() {
  local total=0 pid
  for pid in $(pgrep -f "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
PROCESSES=(workflow-service executor-service logs-service gateway-service "postgres:" "kafka.Kafka")

say "bench: warm-up, $SECONDS_MEASURED s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s "$SCRIPT" "$URL" >/dev/null
declare -A before
for p in "${PROCESSES[@]}"; do before[$p]=$(cpu_ticks "$p"); done
say "bench: $CONNECTIONS connections, $SECONDS_MEASURED s, $URL"
RATE=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s "$SCRIPT" --latency "$URL" | tee /dev/stderr \
  | awk '/^Requests\/sec/ {print $2}')
HZ=$(getconf CLK_TCK)
say "bench: CPU during the measured run (seconds; per call at $RATE calls/s)"
for p in "${PROCESSES[@]}"; do
  spent=$(( $(cpu_ticks "$p") - before[$p] ))
  awk -v p="$p" -v t="$spent" -v hz="$HZ" -v r="$RATE" -v s="$SECONDS_MEASURED" \
    'BEGIN {printf "  %-18s %6.1f s  %6.2f ms per call\n", p, t / hz, (r > 0 ? t / hz / (r * s) * 1000 : 0)}'
done
