#!/usr/bin/env bash
# Kill test of the running fleet: executor-service is killed with SIGKILL at a random moment while
# runs are under way, and started again, once per round. Afterwards every run must have ended with
# the same status in the executor's database, in the read model and in logs-service's timeline (the
# last two read through the gateway), and no node may have finished twice.
#
#   deploy/local/crash.sh [runs-per-round] [rounds]     (fleet running; default 30 runs, 2 rounds)
#
# Each run is Manual Trigger → Set → HTTP Request (a local server answering after 1–3 s) → Set,
# so a kill finds runs before, inside and after their call.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${1:-30}"
ROUNDS="${2:-2}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$ROUNDS" =~ ^[1-9][0-9]*$ && $(( RUNS * ROUNDS )) -le 100 ]] \
  || { echo "usage: deploy/local/crash.sh [runs-per-round] [rounds]   (at most 100 runs in all)" >&2; exit 2; }
GATEWAY=http://127.0.0.1:8080
SLOW_PORT="${WEFT_CRASH_SLOW_PORT:-9918}"
SETTLE_SECONDS="${WEFT_CRASH_SETTLE_SECONDS:-240}"
EXECUTOR_PID_FILE="$WEFT_RUN/executor-service.pid"
curl -fs -o /dev/null --max-time 2 "$GATEWAY/q/health/ready" || die crash "" "the fleet is not running: ./weft up first"
pid_alive "$EXECUTOR_PID_FILE" || die crash "" "executor-service was not started by deploy/local/fleet.sh"
# The runs call a server on loopback: the executor must allow it, and keeps allowing it when started again.
ALLOWED=$(tr '\0' '\n' <"/proc/$(cat "$EXECUTOR_PID_FILE")/environ" | sed -n 's/^WEFT_HTTP_ALLOWED_NETWORKS=//p')
[[ ",$ALLOWED," == *",127.0.0.1/32,"* ]] \
  || die crash "" "executor-service must allow calls to loopback: start the fleet with WEFT_HTTP_ALLOWED_NETWORKS=127.0.0.1/32"

fail() { printf '\033[31m[weft] crash: %s\033[0m\n' "$*" >&2; exit 1; }

# A slow third-party API on loopback, many calls at once.
python3 - "$SLOW_PORT" <<'PY' &
import http.server, json, random, sys, time
class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(random.uniform(1.0, 3.0))
        body = json.dumps({"ok": True}).encode()
        try:
            self.send_response(200); self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller was the executor just killed
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
PY
SLOW_PID=$!
trap 'kill "$SLOW_PID" 2>/dev/null || true' EXIT

say "crash: an enterprise organisation (a free one runs 5 executions at once) and its workflow"
EMAIL="crash-$(date +%s%N)@weft.example"
PASSWORD="crash test password 1"
SIGNED_UP=$(api POST /api/auth/signup "{\"organisation\":\"Crash\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
TENANT=$(echo "$SIGNED_UP" | json "['user']['tenantId']")
[ "$(operator_api PUT "/api/operator/tenants/$TENANT/tier" '{"tier":"enterprise"}' | json "['tier']")" = enterprise ] \
  || fail "the operator could not move the new organisation to the enterprise tier"
TOKEN=$(echo "$SIGNED_UP" | json "['accessToken']")
DEFINITION='{"name":"Crash","nodes":[{"id":"start","name":"Start","type":"trigger.manual","typeVersion":1},
 {"id":"before","name":"Before","type":"core.set","typeVersion":1,"parameters":{"fields":[{"name":"step","value":"before"}]}},
 {"id":"call","name":"Call","type":"core.httpRequest","typeVersion":1,"parameters":{"url":"http://127.0.0.1:'"$SLOW_PORT"'/slow"}},
 {"id":"after","name":"After","type":"core.set","typeVersion":1,"parameters":{"fields":[{"name":"step","value":"after"}]}}],
 "connections":[{"from":{"node":"start","port":"main"},"to":{"node":"before","port":"main"}},
  {"from":{"node":"before","port":"main"},"to":{"node":"call","port":"main"}},
  {"from":{"node":"call","port":"main"},"to":{"node":"after","port":"main"}}]}'
WORKFLOW=$(api POST /api/orchestrator/workflows "{\"definition\":$DEFINITION}" | json "['id']")
api POST "/api/orchestrator/workflows/$WORKFLOW/activate" >/dev/null

# executor_rows EXPRESSION: an aggregate over the executor's database rows of this workflow's runs
executor_rows() { psql_admin -d weft_executor -At -c "SELECT $1 FROM executions WHERE workflow_id = '$WORKFLOW'"; }

EXECUTIONS=()
for round in $(seq 1 "$ROUNDS"); do
  for _ in $(seq 1 "$RUNS"); do
    EXECUTIONS+=("$(api POST "/api/orchestrator/workflows/$WORKFLOW/run" '{"triggerNodeId":"start"}' | json "['executionId']")")
  done
  # The kill comes at a random moment (within a second: a call takes at least one) once the executor is
  # running some of this round's runs — after a restart it may first wait for Kafka to hand it the
  # partitions of the killed one, and on a busy machine the first runs may be over before the last are sent.
  waited=0
  round_ids=$(printf "'%s'," "${EXECUTIONS[@]: -$RUNS}")
  until [ "$(executor_rows "count(*) FILTER (WHERE id IN (${round_ids%,}) AND status = 'running')")" -gt 0 ]; do
    [ "$waited" -lt 1200 ] || fail "round $round: the executor was running none of its runs in 120 s"
    sleep 0.1; waited=$(( waited + 1 ))
  done
  delay_ms=$(( RANDOM % 1000 ))
  sleep "$(awk "BEGIN {print $delay_ms / 1000}")"
  pid=$(cat "$EXECUTOR_PID_FILE")
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  cp "$WEFT_LOGS/executor-service.log" "$WEFT_LOGS/executor-service.killed-$round.log"
  say "crash: round $round: executor-service (pid $pid) killed $delay_ms ms after it began the round's runs, $(executor_rows \
    "count(*) FILTER (WHERE status = 'succeeded')") of ${#EXECUTIONS[@]} runs finished; starting it again"
  WEFT_HTTP_ALLOWED_NETWORKS="$ALLOWED" "$WEFT_ROOT/deploy/local/fleet.sh" up --no-build >"$WEFT_LOGS/crash-restart.log" 2>&1 \
    || fail "executor-service did not start again (see $WEFT_LOGS/crash-restart.log)"
done

say "crash: waiting for ${#EXECUTIONS[@]} runs to end in the read model and in logs-service (up to $SETTLE_SECONDS s)"
REPORT=$(mktemp)
trap 'rm -f "$REPORT"; kill "$SLOW_PID" 2>/dev/null || true' EXIT
deadline=$(( $(date +%s) + SETTLE_SECONDS ))
while :; do
  {
    echo '{"readModel":'
    api GET "/api/orchestrator/executions?workflowId=$WORKFLOW&limit=100"
    echo ',"executor":'
    psql_admin -d weft_executor -At -c "SELECT coalesce(json_object_agg(id, status), '{}') FROM executions WHERE workflow_id = '$WORKFLOW'"
    echo ',"logs":{'
    first=yes
    for execution in "${EXECUTIONS[@]}"; do
      [ "$first" = yes ] || echo ','; first=no
      printf '"%s":' "$execution"
      curl -s --max-time 5 "$GATEWAY/api/logs/executions/$execution" -H "authorization: Bearer $TOKEN" || echo null
    done
    echo '}}'
  } >"$REPORT"
  VERDICT=$(python3 - "$REPORT" "${EXECUTIONS[@]}" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
executions = sys.argv[2:]
read_model = {item["id"]: item["status"] for item in report["readModel"]["items"]}
executor, logs = report["executor"], report["logs"]
problems, unsettled = [], []
for execution in executions:
    timeline = logs.get(execution) or {}
    seen = (executor.get(execution), read_model.get(execution), timeline.get("status"))
    if len(set(seen)) == 1 and seen[0] in ("failed", "cancelled"):
        problems.append("%s %s everywhere" % (execution, seen[0]))
        continue
    if seen != ("succeeded",) * 3:
        unsettled.append("%s: executor %s, read model %s, logs %s" % ((execution,) + seen))
        continue
    finished = collections.Counter(e["nodeId"] for e in timeline.get("events", []) if e["type"] == "node.succeeded")
    if sorted(finished) != ["after", "before", "call", "start"] or max(finished.values()) != 1:
        problems.append("%s: nodes finished %s" % (execution, dict(finished)))
if problems:
    print("FAIL " + "; ".join(problems))
elif unsettled:
    print("WAIT %d of %d not settled, e.g. %s" % (len(unsettled), len(executions), unsettled[0]))
else:
    print("OK")
PY
)
  case "$VERDICT" in
    OK) break ;;
    FAIL*) fail "${VERDICT#FAIL }" ;;
  esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "after $SETTLE_SECONDS s: ${VERDICT#WAIT }"
  sleep 2
done
RESUMED=$(executor_rows "count(*) FILTER (WHERE runs > 1)")
[ "$RESUMED" -gt 0 ] || fail "no run was under way when executor-service was killed: nothing was tested"
say "crash: passed: ${#EXECUTIONS[@]} runs across $ROUNDS kills of executor-service ($RESUMED of them resumed by the next executor) all succeeded in the executor, the read model and logs-service, every node finished once"
