#!/bin/bash
# What holds a server's memory (docs/benchmarks.md, "Issue 18 at 5M"):
# starts `BIN serve` on INDEX, answers the benchmark's 17 queries three
# times, prints VmRSS/RssAnon/RssFile and the resident kB of each mapped
# file (from /proc/PID/smaps), saves a heap profile, and stops the server.
#   bash bench/growth/rss.sh /tmp/bench/r5m/reportsearch /tmp/bench/r5m/index [PORT]
# KEEP=1 leaves the server running (its pid is printed) for
# bench/growth/sections.py. Output files go to $OUT (default /tmp/bench).
BIN=$1; IDX=$2; PORT=${3:-18190}
$BIN serve --index $IDX --addr 127.0.0.1:$PORT --log-level warn --debug-pprof 127.0.0.1:$((PORT+1)) > ${OUT:-/tmp/bench}/serve-$PORT.log 2>&1 &
PID=$!
t0=$(date +%s.%N)
until curl -sf http://127.0.0.1:$PORT/readyz >/dev/null; do
  kill -0 $PID 2>/dev/null || { echo "the server exited:"; cat ${OUT:-/tmp/bench}/serve-$PORT.log; exit 1; }
  sleep 0.02
done
t1=$(date +%s.%N)
echo "ready $(echo "$t1 - $t0" | bc) s; $(grep -E 'VmRSS|RssAnon|RssFile' /proc/$PID/status | tr -s ' ' | tr '\n' ' ')"
for r in 1 2 3; do
for q in 民生 发展 改革 就业 教育 医疗 养老 碳达峰 科技创新 乡村振兴 营商环境 城市更新 人工智能 粮食安全 网格化治理 新质生产力 全过程人民民主; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/api/search?q=$(python3 -c "import urllib.parse,sys;print(urllib.parse.quote(sys.argv[1]))" $q)&size=10"
done; done
echo "after: $(grep -E 'VmRSS|RssAnon|RssFile|VmHWM' /proc/$PID/status | tr -s ' ' | tr '\n' ' ')"
awk '/^[0-9a-f]+-[0-9a-f]+ /{f=$6} /^Rss:/{r[f]+=$2} END{for(k in r) if (r[k]>1000) print r[k]" kB", k}' /proc/$PID/smaps | sort -rn | awk '{split($3,a,"/"); n=a[length(a)-1]"/"a[length(a)]; s[n]+=$1; t+=$1} END{for(k in s) print s[k]" kB "k; print t" kB total"}' | sort -rn | head -30
curl -s http://127.0.0.1:$((PORT+1))/debug/pprof/heap > ${OUT:-/tmp/bench}/heap-$PORT.prof
if [ -z "$KEEP" ]; then kill $PID; wait $PID 2>/dev/null; else echo "pid $PID"; fi
