#!/usr/bin/env bash
# Sync feed benchmark: publish -> SSE latency and fan-out of sync-events, and POST /sync/get of 10,000
# events. See bench/README.md ("Sync feed benchmark").
#
#   bench/run-feed-bench.sh [--clients N] [--rate R] [--seconds S] [--warmup W] [--page P] [--heap SIZE]
#                           [--batch B] [--drain D] [--no-build]
#
#   --clients N   SSE clients on GET /sync/stream (default 10; 10000 for the fan-out target)
#   --rate R      job events published per second (default 200; use 1-5 with 10000 clients)
#   --seconds S   how long the measured publishing lasts (default 30)
#   --warmup W    seconds of unmeasured publishing first (default 3)
#   --page P      events read by POST /sync/get in as few pages as the server allows (default 10000)
#   --heap SIZE   -Xmx of sync-events (default 512m, the target's bound)
#   --batch B     clients connecting at a time (default 500)
#   --drain D     longest wait, in seconds, for the last deliveries after the last publish (default 60)
#   --no-build    do not build the jars, even if bench-exec.jar or sync-events-exec.jar is missing
#
# Needs Java 17+ and Maven 3.8+; starts its own KRaft broker and MariaDB (no root, no Docker). Finishes in
# about 1.5 minutes with the defaults. Work directory and logs: bench/target/feed-bench-work/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGS=()
BUILD=1
CLIENTS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --clients|--rate|--seconds|--warmup|--page|--heap|--batch|--drain)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      [ "$1" = --clients ] && CLIENTS="${2//_/}"
      ARGS+=("$1" "$2"); shift 2 ;;
    --clients=*|--rate=*|--seconds=*|--warmup=*|--page=*|--heap=*|--batch=*|--drain=*)
      [ "${1%%=*}" = --clients ] && CLIENTS="${1#*=}" && CLIENTS="${CLIENTS//_/}"
      ARGS+=("${1%%=*}" "${1#*=}"); shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$CLIENTS" =~ ^[0-9]+$ ]] || [ "$CLIENTS" -lt 1 ]; then
  echo "--clients must be a positive integer, got '$CLIENTS'" >&2; exit 2
fi

STARTED=$SECONDS

# 1. descriptors: every client is a socket here and one in sync-events (children inherit the limit)
NEED=$((CLIENTS + 4096))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED" ]; then
  HARD="$(ulimit -Hn)"
  if [ "$HARD" = unlimited ] || [ "$HARD" -ge "$NEED" ]; then
    ulimit -n "$NEED"
  else
    ulimit -n "$HARD"
    echo "note: open files limited to $HARD (hard limit), fewer than the $NEED that $CLIENTS clients need" >&2
  fi
fi

# 2. the jars (the bench starts sync-events from its jar; gateway and worker start too, then are stopped)
missing=0
for jar in bench/target/bench-exec.jar gateway/target/gateway-exec.jar \
           backup-worker/target/backup-worker-exec.jar sync-events/target/sync-events-exec.jar; do
  [ -f "$ROOT/$jar" ] || missing=1
done
if [ "$missing" = 1 ] && [ "$BUILD" = 1 ]; then
  echo "Building (mvn -B -q -DskipTests package) ..."
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

# 3. the services' settings, inherited by the child processes: sync-events' Socket.IO endpoint on any
#    free port, and its metrics endpoint exposed so the bench reads jvm.memory.used like the backup bench
export RP_SYNC_IO_PORT="${RP_SYNC_IO_PORT:-0}"
export MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE="${MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE:-health,info,metrics}"

# 4. the benchmark (this JVM also hosts the embedded broker and the SSE clients)
status=0
java -Xmx1g -Drestorepoint.home="$ROOT" -Dloader.main=io.restorepoint.bench.FeedBench \
  -cp "$ROOT/bench/target/bench-exec.jar" org.springframework.boot.loader.launch.PropertiesLauncher \
  ${ARGS[@]+"${ARGS[@]}"} || status=$?
echo "run-feed-bench.sh: $((SECONDS - STARTED)) s in all (exit $status)"
exit $status
