#!/bin/sh
# Startup of the installed heph command against the JVM's own: runs `java -version`, `heph --version` and
# `heph status` interleaved (one of each per round), RUNS rounds, and prints each one's median wall time and its
# ratio to `java -version` on the same JDK (the one the launcher execs). Not part of the test suite.
#
#   tests/bench/startup-bench.sh [RUNS] [HEPH]       RUNS defaults to 21, HEPH to `heph` on PATH
#
# `status` makes its real calls: without HEPH_BACKEND in the environment it asks systemd through /bin/true as
# systemctl (one process call, then a connect to hephd's socket); with a simulator's exports (`heph sim --dir D`)
# it asks the simulator.
set -eu
runs=${1:-21}
heph=${2:-$(command -v heph || true)}
[ -n "$heph" ] && [ -x "$heph" ] || { echo "startup-bench: no heph launcher (pass its path; run heph install-cli)" >&2; exit 2; }
jdk=$(sed -n "s/^jdk='\(.*\)'\$/\1/p" "$heph")
java=${jdk:+$jdk/bin/}java
if [ -z "${HEPH_BACKEND:-}" ]; then
  HEPH_BACKEND=systemd; HEPH_SYSTEMCTL=$(command -v true); export HEPH_BACKEND HEPH_SYSTEMCTL
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }
one() { # name, command...: one timed run, milliseconds appended to $tmp/name
  name=$1; shift
  t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$tmp/$name"
}
median() { sort -n "$tmp/$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

"$heph" --version >/dev/null 2>&1 # a stale install re-installs here, not inside the measurement
i=0
while [ "$i" -lt "$runs" ]; do
  one java "$java" -version
  one version "$heph" --version
  one status "$heph" status
  i=$((i + 1))
done
j=$(median java); v=$(median version); s=$(median status)
echo "startup: $runs interleaved runs each, medians; $("$java" -version 2>&1 | head -n 1); load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
echo "java -version   $j ms"
echo "heph --version  $v ms  $(awk "BEGIN {printf \"%.2fx\", $v / $j}")"
echo "heph status     $s ms  $(awk "BEGIN {printf \"%.2fx\", $s / $j}")"
