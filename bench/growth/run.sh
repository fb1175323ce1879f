#!/bin/sh
# The growth table and plot of issue 18 (docs/benchmarks.md, "Growth"):
# bench/run on the generated 100k, 1M and 5M corpora, one after the other
# under the machine-wide bench lock, then bench/plot on their results.
# Run from the repository root:
#
#   sh bench/growth/run.sh            # builds every index (5M: ~8 min idle)
#   REUSE=-reuse sh bench/growth/run.sh   # re-measure queries and server only
#
# Corpora and work folders go under $BENCH (default /tmp/bench); a corpus
# is generated only when its folder is missing. Progress is in
# $BENCH/growth-SIZE.err; the table is printed and kept in $BENCH/growth.md.
set -eu
BENCH=${BENCH:-/tmp/bench}
REUSE=${REUSE:-}
mkdir -p "$BENCH"
for spec in 100k:100000 1m:1000000 5m:5000000; do
	size=${spec%%:*} n=${spec#*:}
	if [ ! -d "$BENCH/corpus$size" ]; then
		go run ./bench/gencorpus -seed 1 -paragraphs "$n" -out "$BENCH/corpus$size"
	fi
done
for size in 100k 1m 5m; do
	echo "bench/run $size (log: $BENCH/growth-$size.err)" >&2
	flock /tmp/bench.lock go run ./bench/run -corpus "$BENCH/corpus$size" -label "generated $size" \
		-work "$BENCH/growth-$size" -http $REUSE >"$BENCH/growth-$size.out" 2>"$BENCH/growth-$size.err"
done
go run ./bench/plot -svg docs/growth.svg "$BENCH/growth-100k/results.json" \
	"$BENCH/growth-1m/results.json" "$BENCH/growth-5m/results.json" | tee "$BENCH/growth.md"
