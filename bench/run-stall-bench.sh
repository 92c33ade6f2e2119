#!/usr/bin/env bash
# Writer stall during a backup, per consistency mode (global-lock, database-lock, lock-free), against no
# backup, on a quiet server and with a 3-second report query running. See bench/README.md.
#
#   bench/run-stall-bench.sh [--rows N]     (default 1000000 rows each in pesaje and auditoria)
#
# Uses the MariaDB server and account of run-backup-bench.sh (it runs its --setup-only step first).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/bench/run-backup-bench.sh" --setup-only
if [ ! -f "$ROOT/bench/target/bench-exec.jar" ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
exec java -Xmx768m -Drestorepoint.home="$ROOT" -Dloader.main=io.restorepoint.bench.StallBench \
  -cp "$ROOT/bench/target/bench-exec.jar" org.springframework.boot.loader.launch.PropertiesLauncher "$@"
