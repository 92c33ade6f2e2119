#!/usr/bin/env bash
# Backup and restore benchmark: a RestorePoint backup job against mydumper and mariadb-dump, then a
# RestorePoint restore job against myloader and mariadb < dump.sql, on the same data, in the same run.
# See bench/README.md.
#
#   bench/run-backup-bench.sh [--rows N] [--repeat K] [--small-jobs J] [--setup-only]
#
#   --rows N      rows each in pesaje and auditoria (default 1000000, at most 10000000)
#   --repeat K    run every tool K times and keep the best (default 1)
#   --small-jobs J  then time J backups of a 4,433-row project on the warm stack (default 20; 0: none)
#   --setup-only  install/start MariaDB and create the account, then stop
#
# Needs root (apt-get, start-stop-daemon), Java 17+ and Maven 3.8+. Uses the MariaDB server on
# 127.0.0.1:3306 (Debian's mariadb-server, started here if it is not running) and account app/app.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROWS=1000000
REPEAT=1
SMALL_JOBS=20
SETUP_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="${2:?--rows needs a value}"; shift 2 ;;
    --rows=*) ROWS="${1#*=}"; shift ;;
    --repeat) REPEAT="${2:?--repeat needs a value}"; shift 2 ;;
    --repeat=*) REPEAT="${1#*=}"; shift ;;
    --small-jobs) SMALL_JOBS="${2:?--small-jobs needs a value}"; shift 2 ;;
    --small-jobs=*) SMALL_JOBS="${1#*=}"; shift ;;
    --setup-only) SETUP_ONLY=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ROWS="${ROWS//_/}"
if ! [[ "$ROWS" =~ ^[0-9]+$ ]] || [ "$ROWS" -lt 1 ] || [ "$ROWS" -gt 10000000 ]; then
  echo "--rows must be an integer from 1 to 10000000, got '$ROWS'" >&2; exit 2
fi
if ! [[ "$REPEAT" =~ ^[0-9]+$ ]] || [ "$REPEAT" -lt 1 ]; then
  echo "--repeat must be a positive integer, got '$REPEAT'" >&2; exit 2
fi

STARTED=$SECONDS

# 1. MariaDB server, client and mydumper from Debian
if [ ! -x /usr/sbin/mariadbd ] || ! command -v mariadb >/dev/null || ! command -v mariadb-dump >/dev/null \
   || ! command -v mydumper >/dev/null; then
  echo "Installing mariadb-server mariadb-client mydumper (apt-get) ..."
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server mariadb-client mydumper
fi

# 2. the server, started the way the stack notes say (as root it needs --user=mysql)
if ! mariadb-admin -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
  echo "Starting mariadbd ..."
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start-stop-daemon --start --background --make-pidfile --pidfile /run/mysqld/mariadbd.pid \
    --exec /usr/sbin/mariadbd -- --user=mysql --innodb-buffer-pool-size=1G \
    --log-bin=mysql-bin --binlog-format=ROW --server-id=1
  for _ in $(seq 1 120); do
    mariadb-admin -uroot --connect-timeout=2 ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! mariadb-admin -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
    echo "mariadbd did not answer within 60 s; see journal or /var/lib/mysql/*.err" >&2; exit 1
  fi
fi

# 3. the account every tool uses over TCP; RELOAD and BINLOG MONITOR (in ALL) allow consistent snapshots
mariadb -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'app';
ALTER USER 'app'@'127.0.0.1' IDENTIFIED BY 'app';
GRANT ALL PRIVILEGES ON *.* TO 'app'@'127.0.0.1';
SQL
echo "MariaDB $(mariadb -uroot -N -e 'SELECT VERSION()') on 127.0.0.1:3306, account app@127.0.0.1 ready."
[ "$SETUP_ONLY" = 1 ] && exit 0

# 4. the jars (the bench starts gateway, backup-worker and sync-events from theirs)
missing=0
for jar in bench/target/bench-exec.jar gateway/target/gateway-exec.jar \
           backup-worker/target/backup-worker-exec.jar sync-events/target/sync-events-exec.jar; do
  [ -f "$ROOT/$jar" ] || missing=1
done
if [ "$missing" = 1 ]; then
  echo "Building (mvn -B -q -DskipTests package) ..."
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

# 5. the benchmark (this JVM also hosts the embedded Kafka broker)
status=0
java -Xmx768m -Drestorepoint.home="$ROOT" -jar "$ROOT/bench/target/bench-exec.jar" \
  --rows "$ROWS" --repeat "$REPEAT" --small-jobs "$SMALL_JOBS" || status=$?
echo "run-backup-bench.sh: $((SECONDS - STARTED)) s in all (exit $status)"
exit $status
