#!/bin/sh
# Searches during a rebuild (issue 12): p50/p90/p99 of wrk rotating through
# the benchmark queries against `serve` on a corpus, first with no writes,
# then while POST /api/reindex runs back to back. Usage, from the
# repository root (take the machine-wide benchmark lock):
#
#   flock /tmp/bench.lock bench/underload/run.sh [CORPUS [WORK [BINARY]]]
#
# CORPUS defaults to ../shared/corpus, WORK to /tmp/bench/underload; BINARY
# (default: built from this tree) is the reportsearch to measure.
# DURATION (15s) and CONNS (8) set wrk's run; ROUNDS (2) how many times each
# pair of runs is made; REBUILD_PRIORITY (idle) is serve's --rebuild-priority
# (a BINARY older than the child-process rebuild: set it to "").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-../shared/corpus}
work=${2:-/tmp/bench/underload}
bin=${3:-}
duration=${DURATION:-15s}
conns=${CONNS:-8}
rounds=${ROUNDS:-2}
port=${PORT:-18931}
priority=${REBUILD_PRIORITY-idle}
token=underload-token
mkdir -p "$work"
if [ -z "$bin" ]; then
	bin=$work/reportsearch
	go build -o "$bin" ./cmd/reportsearch
fi
rm -rf "$work/index"
"$bin" index --index "$work/index" --json "$corpus" > "$work/index.json"
"$bin" serve --index "$work/index" --addr "127.0.0.1:$port" --admin-token "$token" ${priority:+--rebuild-priority "$priority"} > "$work/serve.log" 2>&1 &
server=$!
loop=
cleanup() {
	[ -n "$loop" ] && kill "$loop" 2>/dev/null || true
	kill "$server" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
base=http://127.0.0.1:$port
# /readyz, not /healthz: the latter answers while the index still opens.
for _ in $(seq 600); do
	curl -fs "$base/readyz" > /dev/null 2>&1 && break
	sleep 0.1
done
# Warm-up: the index pages and the server's caches.
wrk -t1 -c"$conns" -d3s -s "$here/queries.lua" "$base/" > /dev/null
# server LABEL FROM TO: percentiles of the server's own time for the
# searches logged between lines FROM and TO of its log (the handler's ms:
# the part of the latency that is the server's, without wrk's or the
# kernel's queueing on the shared cores).
server() {
	sed -n "$2,$3p" "$work/serve.log" | grep 'route=/api/search status=200' | sed 's/.* ms=\([0-9.]*\).*/\1/' | sort -n |
		awk -v label="$1" '{v[NR]=$1} END {if (NR) printf "%-10s server p50 %.2fms p90 %.2fms p99 %.2fms (%d searches)\n", label, v[int(NR*.5)+1], v[int(NR*.9)+1], v[int(NR*.99)+1], NR}'
}
lines() { echo $(($(wc -l < "$work/serve.log") + 1)); } # the next line's number
summary() { # label, wrk output
	awk -v label="$1" '
		/^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
		/Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF} /Socket errors/ {sock=$0}
		END {printf "%-10s p50 %-8s p90 %-8s p99 %-8s req/s %-8s non-2xx %s %s\n", label, p50, p90, p99, rps, bad+0, sock}' "$2"
}
for r in $(seq "$rounds"); do
	from=$(lines)
	wrk -t1 -c"$conns" -d"$duration" --latency -s "$here/queries.lua" "$base/" > "$work/idle-$r.txt"
	summary idle "$work/idle-$r.txt"
	server idle "$from" "$(lines)"
	# Rebuilds back to back; each one's summary appended.
	(
		while :; do
			curl -fs -X POST -H "Authorization: Bearer $token" "$base/api/reindex" > "$work/reindex.json" || exit 1
			echo "$(date +%s.%N) $(grep -o '"paragraphs":[0-9]*' "$work/reindex.json" | tail -1)" >> "$work/reindex-$r.log"
		done
	) &
	loop=$!
	sleep 1
	from=$(lines)
	wrk -t1 -c"$conns" -d"$duration" --latency -s "$here/queries.lua" "$base/" > "$work/rebuild-$r.txt"
	to=$(lines)
	status=$(curl -fs -H "Authorization: Bearer $token" "$base/api/reindex" 2>/dev/null | grep -o '"files":[0-9]*,"total":[0-9]*' || true)
	kill "$loop" 2>/dev/null || true
	wait "$loop" 2>/dev/null || true
	loop=
	summary rebuilding "$work/rebuild-$r.txt"
	server rebuilding "$from" "$to"
	finished=0
	[ -f "$work/reindex-$r.log" ] && finished=$(wc -l < "$work/reindex-$r.log")
	echo "           rebuilds finished during the run: $finished; the running one at its end: ${status:-?}"
	rm -f "$work/reindex-$r.log"
	# The last rebuild finishes (its child has the cores to itself now).
	for _ in $(seq 600); do
		curl -fs -H "Authorization: Bearer $token" "$base/api/reindex" 2>/dev/null | grep -q '"state":"running"' || break
		sleep 0.5
	done
	sleep 1
done
