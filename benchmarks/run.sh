#!/usr/bin/env bash
# Reproduces every figure of docs/benchmarks.md with one command:
#   benchmarks/run.sh            # macro benchmarks (all) + JMH hit path, 1 and 2 threads
#   benchmarks/run.sh stampede   # only some macro benchmarks: stampede refresh warming coldstart memory memcached dumps
#                                # faults (= faults-standalone + faults-cluster)
# Needs PostgreSQL on 127.0.0.1:5432 (database test, user postgres; override with BENCH_JDBC_URL / BENCH_JDBC_USER)
# and redis-server + redis-benchmark on the PATH (Debian: apt-get install redis-server redis-tools), and memcached
# for the memcached benchmark (apt-get install memcached).
# Results (Markdown tables) and charts go to docs/benchmarks/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# One reactor build: the classpath points at the modules' own jars, so nothing is installed into ~/.m2.
./mvnw -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
OUT="$ROOT/docs/benchmarks"
mkdir -p "$OUT"
java -Xms4g -Xmx4g -XX:+UseG1GC -Djava.awt.headless=true -Dbench.out="$OUT" \
    -Dbench.jdbc-url="${BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}" \
    -Dbench.jdbc-user="${BENCH_JDBC_USER:-postgres}" \
    -cp "$CP" dev.cachewarming.macrobench.MacroBenchmarks "${@:-all}"
if [ $# -eq 0 ]; then
    for threads in 1 2; do
        java -cp "$CP" org.openjdk.jmh.Main HitPath -t "$threads" -prof gc -rf text -rff "$OUT/hit-path-${threads}t.txt"
    done
fi
