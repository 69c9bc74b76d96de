#!/usr/bin/env bash
# Hit ratio of SegmentCache (Caffeine W-TinyLFU) vs a byte-bounded LRU under Zipf access, same byte budgets.
#   benchmarks/scripts/cache-hit-ratio.sh [segments] [zipf-s] [requests] [seed]     (defaults: 10000 1.0 2000000 42)
# Builds benchmarks/target/benchmarks.jar if missing (offline reactor build, no install).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -o -q -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar io.iptv.benchmarks.ZipfHitRatio "$@"
