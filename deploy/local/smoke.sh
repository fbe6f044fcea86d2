#!/usr/bin/env bash
# End-to-end smoke test of the running fleet through the gateway, with real Kafka, PostgreSQL and
# Redis: sign up, store a credential, run a workflow whose HTTP Request node authenticates with it
# (manual run → workflow-service → Kafka → executor → credentials-service → the call → events →
# read model), and answer a synchronous webhook. Leaves the fleet as it found it.
#
#   deploy/local/smoke.sh        (after a build: starts the fleet with --no-build, stops it after)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GATEWAY=http://127.0.0.1:8080
ECHO_PORT="${WEFT_SMOKE_ECHO_PORT:-9917}"
ECHO_PID=""
STARTED=""

cleanup() {
  [ -n "$ECHO_PID" ] && kill "$ECHO_PID" 2>/dev/null || true
  [ -n "$STARTED" ] && "$WEFT_ROOT/deploy/local/fleet.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

fail() { printf '\033[31m[weft] smoke: %s\033[0m\n' "$*" >&2; exit 1; }
json() { python3 -c "import sys, json; d = json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
api() { # METHOD PATH [BODY]: the answer's body; fails on a status other than 2xx
  local method="$1" path="$2" body="${3:-}" out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' --max-time 20 -X "$method" "$GATEWAY$path" \
    -H "authorization: Bearer ${TOKEN:-}" -H 'content-type: application/json' ${body:+-d "$body"})
  [[ "$status" == 2* ]] || fail "$method $path answered $status: $(head -c 400 "$out")"
  cat "$out"; rm -f "$out"
}

# A stand-in for a third-party API on loopback: it answers with the Authorization header it got.
python3 - "$ECHO_PORT" <<'PY' &
import http.server, json, sys
class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"authorization": self.headers.get("Authorization")}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
PY
ECHO_PID=$!

if ! curl -fs -o /dev/null --max-time 2 "$GATEWAY/q/health/ready"; then
  say "smoke: starting the fleet (built already)"
  WEFT_HTTP_ALLOWED_NETWORKS=127.0.0.1/32 "$WEFT_ROOT/deploy/local/fleet.sh" up --no-build >/dev/null \
    || fail "the fleet did not start (logs in $WEFT_LOGS)"
  STARTED=yes
fi

say "smoke: sign up, store a credential"
EMAIL="smoke-$(date +%s%N)@weft.example"
TOKEN=$(api POST /api/auth/signup "{\"organisation\":\"Smoke\",\"email\":\"$EMAIL\",\"password\":\"smoke test password 1\"}" | json "['accessToken']")
SECRET="smoke-$(date +%s%N)"
CREDENTIAL=$(api POST /api/credentials "{\"name\":\"Echo\",\"type\":\"httpBearerAuth\",\"data\":{\"token\":\"$SECRET\"}}" | json "['id']")

say "smoke: a workflow whose HTTP Request node uses it, activated and run"
DEFINITION='{"name":"Smoke","nodes":[{"id":"start","name":"Start","type":"trigger.manual","typeVersion":1},
 {"id":"call","name":"Call","type":"core.httpRequest","typeVersion":1,
  "parameters":{"url":"http://127.0.0.1:'"$ECHO_PORT"'/whoami","authentication":"credential"},
  "credentials":{"httpBearerAuth":{"id":"'"$CREDENTIAL"'"}}},
 {"id":"hook","name":"Hook","type":"trigger.webhook","typeVersion":1,
  "parameters":{"method":"POST","path":"smoke","respond":"usingRespondNode","responseTimeoutMs":20000}},
 {"id":"answer","name":"Answer","type":"core.respondToWebhook","typeVersion":1,"parameters":{"respondWith":"json","json":{"pong":"{{ $json.body.ping }}"}}}],
 "connections":[{"from":{"node":"start","port":"main"},"to":{"node":"call","port":"main"}},
                {"from":{"node":"hook","port":"main"},"to":{"node":"answer","port":"main"}}]}'
WORKFLOW=$(api POST /api/orchestrator/workflows "{\"definition\":$DEFINITION}" | json "['id']")
api POST "/api/orchestrator/workflows/$WORKFLOW/activate" >/dev/null
EXECUTION=$(api POST "/api/orchestrator/workflows/$WORKFLOW/run" '{"triggerNodeId":"start"}' | json "['executionId']")

STATUS=""
for _ in $(seq 1 60); do
  STATUS=$(api GET "/api/orchestrator/executions/$EXECUTION" | json "['status']")
  case "$STATUS" in succeeded|failed|cancelled) break ;; esac
  sleep 0.5
done
[ "$STATUS" = succeeded ] || fail "execution $EXECUTION is $STATUS, not succeeded: $(api GET "/api/orchestrator/executions/$EXECUTION" | head -c 600)"
SENT=$(api GET "/api/orchestrator/executions/$EXECUTION" | json "['outputPreview']['body']['authorization']")
[ "$SENT" = "Bearer $SECRET" ] || fail "the HTTP Request node sent '$SENT', not the credential"
if grep -l -- "$SECRET" "$WEFT_LOGS"/*.log >/dev/null 2>&1; then fail "the secret appears in a service log"; fi

say "smoke: the run's timeline in logs-service, and the credential's use in the audit trail"
TIMELINE=""
for _ in $(seq 1 120); do
  TIMELINE=$(curl -s --max-time 5 "$GATEWAY/api/logs/executions/$EXECUTION" -H "authorization: Bearer $TOKEN")
  [ "$(echo "$TIMELINE" | json "['status']" 2>/dev/null)" = succeeded ] && break
  sleep 0.5
done
[ "$(echo "$TIMELINE" | json "['status']" 2>/dev/null)" = succeeded ] \
  || fail "logs-service holds no finished timeline of $EXECUTION: $(echo "$TIMELINE" | head -c 400)"
AUDIT=""
for _ in $(seq 1 60); do
  AUDIT=$(api GET "/api/logs/audit?action=credential.resolve&objectId=$CREDENTIAL")
  [ "$(echo "$AUDIT" | json "['items'].__len__()")" -ge 1 ] && break
  sleep 0.5
done
[ "$(echo "$AUDIT" | json "['items'].__len__()")" -ge 1 ] || fail "the audit trail holds no credential.resolve of $CREDENTIAL"

say "smoke: a synchronous webhook through the gateway"
PREFIX_URL=$(api GET "/api/orchestrator/workflows/$WORKFLOW/webhooks" | json "['webhooks'][0]['url']")
ANSWER=$(curl -s --max-time 25 -X POST "$GATEWAY$PREFIX_URL" -H 'content-type: application/json' -d '{"ping":"hello"}')
[ "$(echo "$ANSWER" | json "['pong']" 2>/dev/null)" = hello ] || fail "the webhook answered: $ANSWER"

say "smoke: passed (run $EXECUTION, webhook $PREFIX_URL)"
