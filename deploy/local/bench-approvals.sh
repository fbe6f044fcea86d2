#!/usr/bin/env bash
# Approval decision → next node started, on the running fleet (issue 23): signs up an organisation
# (enterprise tier), activates Manual Trigger → Approval → Set, starts the runs and waits until each
# is parked at its approval, then decides them one after another through the gateway and reads, for
# each, when the Set node started (the executor's clock, the same machine's). Prints p50, p90, p99
# and the slowest.
#
#   deploy/local/bench-approvals.sh [runs]     runs: 1 to 100 (one page of approvals), default 100
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${1:-100}"
[[ "$RUNS" =~ ^[1-9][0-9]?$|^100$ ]] || { echo "usage: deploy/local/bench-approvals.sh [runs: 1 to 100]" >&2; exit 2; }
GATEWAY=http://127.0.0.1:8080
curl -fs -o /dev/null --max-time 2 "$GATEWAY/q/health/ready" || die "bench" "" "the fleet is not running: ./weft up first"

say "bench: an enterprise organisation and its Manual Trigger → Approval → Set workflow"
SIGNED_UP=$(api POST /api/auth/signup "{\"organisation\":\"Bench\",\"email\":\"bench-$(date +%s%N)@weft.example\",\"password\":\"bench password of weft 1\"}")
TENANT=$(echo "$SIGNED_UP" | json "['user']['tenantId']")
[ "$(operator_api PUT "/api/operator/tenants/$TENANT/tier" '{"tier":"enterprise"}' | json "['tier']")" = enterprise ] \
  || die "bench" "" "the operator could not move the new organisation to the enterprise tier"
export TOKEN=$(echo "$SIGNED_UP" | json "['accessToken']")
WORKFLOW=$(api POST /api/orchestrator/workflows '{"definition":{"name":"Bench approvals","nodes":[
   {"id":"start","name":"Start","type":"trigger.manual","typeVersion":1},
   {"id":"gate","name":"Gate","type":"core.approval","typeVersion":1,"parameters":{"allowSelfApproval":true,"timeoutMinutes":60}},
   {"id":"done","name":"Done","type":"core.set","typeVersion":1,"parameters":{"fields":[{"name":"done","value":true}]}}],
   "connections":[{"from":{"node":"start","port":"main"},"to":{"node":"gate","port":"main"}},
                  {"from":{"node":"gate","port":"approved"},"to":{"node":"done","port":"main"}}]}}' | json "['id']")
api POST "/api/orchestrator/workflows/$WORKFLOW/activate" >/dev/null

say "bench: $RUNS runs, each parked at its approval, then decided one by one"
python3 - "$GATEWAY" "$WORKFLOW" "$RUNS" <<'PY'
import json, sys, time, urllib.request, datetime, os

gateway, workflow, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
token = os.environ["TOKEN"]

def call(method, path, body=None):
    request = urllib.request.Request(gateway + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"authorization": "Bearer " + token, "content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read() or b"{}")

executions = [call("POST", "/api/orchestrator/workflows/%s/run" % workflow, {"triggerNodeId": "start"})["executionId"] for _ in range(runs)]
deadline = time.time() + 120
approvals = {}
while len(approvals) < runs and time.time() < deadline:
    for a in call("GET", "/api/orchestrator/approvals?status=pending&limit=100")["items"]:
        if a["executionId"] in executions:
            approvals[a["executionId"]] = a["id"]
    time.sleep(0.2)
latencies = []
for execution, approval in approvals.items():
    decided = time.time()
    call("POST", "/api/orchestrator/approvals/%s/decision" % approval, {"decision": "approve"})
    started = None
    while started is None and time.time() < decided + 30:
        view = call("GET", "/api/orchestrator/executions/" + execution)
        started = next((n["startedAt"] for n in view.get("nodes", []) if n["nodeId"] == "done" and n.get("startedAt")), None)
        if started is None:
            time.sleep(0.005)
    if started is not None:
        at = datetime.datetime.fromisoformat(started.replace("Z", "+00:00")).timestamp()
        latencies.append((at - decided) * 1000)
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]
print("decided %d of %d runs; decision -> next node started: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, slowest %.0f ms"
      % (len(latencies), runs, pct(50), pct(90), pct(99), latencies[-1]))
PY
