#!/usr/bin/env bash
# A new instance's first warm-up under JVM options that change what the JIT costs it (docs/benchmarks.md, section
# "A new instance's first warm-up and the JIT"):
#   benchmarks/jvm-options.sh [rounds]     # 3 rounds by default; within a round the options alternate
# Each run is a fresh JVM running `WarmingBenchmark batched from-l2`: an instance warms 100k keys from PostgreSQL
# (Redis empty), then a second instance in the same JVM warms them from L2. The JDK 25 rows need a JDK 25 at $JDK25
# (default /usr/lib/jvm/temurin-25-jdk-amd64) and are skipped without one; its AOT cache (JEP 483 / 515) is trained
# by one run of the same benchmark first. Same needs as run.sh (PostgreSQL, redis-server).
# Writes docs/benchmarks/jvm-options.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
JDK17="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
# Jars only: an AOT cache refuses a classpath with directories.
CP="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
WORK=benchmarks/target/jvm-options
mkdir -p "$WORK"
BENCH=(-Xms4g -Xmx4g
    -Dbench.jdbc-url="${BENCH_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
    -Dbench.jdbc-user="${BENCH_JDBC_USER:-postgres}"
    -cp "$CP" dev.cachewarming.macrobench.WarmingBenchmark batched from-l2)

names=("JDK 17, defaults" "JDK 17, -XX:TieredStopAtLevel=1 (C1 only)")
javas=("$JDK17/bin/java" "$JDK17/bin/java")
flags=("" "-XX:TieredStopAtLevel=1")
if [ -x "$JDK25/bin/java" ]; then
    "$JDK25/bin/java" -XX:AOTCacheOutput="$WORK/warming.aot" "${BENCH[@]}" > "$WORK/training.log" 2>&1
    names+=("JDK 25, defaults" "JDK 25, -XX:AOTCache (trained by one run)")
    javas+=("$JDK25/bin/java" "$JDK25/bin/java")
    flags+=("" "-XX:AOTCache=$WORK/warming.aot")
fi

: > "$WORK/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
    for i in "${!names[@]}"; do
        # shellcheck disable=SC2086
        out=$("${javas[$i]}" ${flags[$i]} "${BENCH[@]}" 2>&1 | grep -o 'startupToReady=PT[0-9.]*S, warmup=PT[0-9.]*S' \
            | sed 's/startupToReady=PT//; s/S, warmup=PT/ /; s/S$//' | tr '\n' ' ')
        echo "$i $out" | tee -a "$WORK/runs.txt"
    done
done

python3 - "$WORK/runs.txt" "$ROUNDS" "${names[@]}" > docs/benchmarks/jvm-options.md <<'EOF'
import statistics, sys, subprocess
runs, rounds, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = {i: [] for i in range(len(names))}
for line in open(runs):
    parts = line.split()
    if len(parts) == 5:
        rows[int(parts[0])].append([float(p) for p in parts[1:]])
cpus = subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()
print(f"`benchmarks/jvm-options.sh {rounds}`: {rounds} rounds, the options alternating within each round, on {cpus} CPUs;")
print("each run a fresh JVM. Medians, with every run's value in brackets.\n")
print("| JVM | first instance: start to ready, s | batched warm-up from PostgreSQL, s | second instance: warm-up from L2, s |")
print("|---|---:|---:|---:|")
def cell(values):
    return f"**{statistics.median(values):.2f}** ({' / '.join(f'{v:.2f}' for v in values)})"
for i, name in enumerate(names):
    r = rows[i]
    if not r:
        continue
    print(f"| {name} | {cell([x[0] for x in r])} | {cell([x[1] for x in r])} | {cell([x[3] for x in r])} |")
EOF
cat docs/benchmarks/jvm-options.md
