#!/bin/sh
# Startup of the installed heph command against the JVM's own: per round it runs `java -version` once and, for
# each launcher given, `heph --version` and `heph status` (interleaved), RUNS rounds; then prints each one's median
# wall time and its ratio to `java -version` on the JDK that launcher execs. Not part of the test suite.
#
#   tests/bench/startup-bench.sh [RUNS] [HEPH ...]     RUNS defaults to 21, HEPH to `heph` on PATH
#
# Several launchers (e.g. one installed from an older checkout, one from JDK 25) are measured in the same rounds,
# so their numbers share the machine's load. `status` makes its real calls: without HEPH_BACKEND in the
# environment it asks systemd through `true` as systemctl (one process call, then a connect to hephd's socket);
# with a simulator's exports in the environment (`./jbang heph.java sim --dir D`) it asks the simulator.
set -eu
runs=${1:-21}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- "$(command -v heph || true)"
for h in "$@"; do
  [ -n "$h" ] && [ -x "$h" ] || { echo "startup-bench: no heph launcher at '$h' (run heph install-cli)" >&2; exit 2; }
done
if [ -z "${HEPH_BACKEND:-}" ]; then
  HEPH_BACKEND=systemd; HEPH_SYSTEMCTL=$(command -v true); export HEPH_BACKEND HEPH_SYSTEMCTL
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

java_of() { jdk=$(sed -n "s/^jdk='\(.*\)'\$/\1/p" "$1"); echo "${jdk:+$jdk/bin/}java"; }
now() { date +%s%N; }
one() { # key, command...: one timed run, milliseconds appended to $tmp/key
  key=$1; shift
  t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$tmp/$key"
}
median() { sort -n "$tmp/$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
key() { printf '%s' "$1" | cksum | cut -d' ' -f1; }

for h in "$@"; do "$h" --version >/dev/null 2>&1 || true; done # a stale install re-installs here, not in a round
i=0
while [ "$i" -lt "$runs" ]; do
  for h in "$@"; do
    j=$(java_of "$h"); k=$(key "$h")
    [ -f "$tmp/seen.$(key "$j")" ] || one "java.$(key "$j")" "$j" -version
    touch "$tmp/seen.$(key "$j")"
    one "version.$k" "$h" --version
    one "status.$k" "$h" status
  done
  rm -f "$tmp"/seen.*
  i=$((i + 1))
done
echo "startup: $runs interleaved rounds, medians, $(nproc 2>/dev/null || echo '?') cores; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
for h in "$@"; do
  j=$(java_of "$h"); k=$(key "$h")
  jm=$(median "java.$(key "$j")"); v=$(median "version.$k"); s=$(median "status.$k")
  echo "$h on $("$j" -version 2>&1 | head -n 1)"
  echo "  java -version   $jm ms"
  echo "  heph --version  $v ms  $(awk "BEGIN {printf \"%.2fx\", $v / $jm}")"
  echo "  heph status     $s ms  $(awk "BEGIN {printf \"%.2fx\", $s / $jm}")"
done
