#!/usr/bin/env bash
# One command: builds RestorePoint and runs the whole stack on embedded defaults
# (Kafka KRaft broker + MariaDB + gateway + backup-worker + sync-events + demo data).
# Needs Java 17+ and Maven 3.8+. Configuration: environment variables, see README.md#configuration.
set -euo pipefail
cd "$(dirname "$0")"
echo "Building (first run downloads dependencies) ..."
mvn -B -q -T 2 -DskipTests -Dmaven.javadoc.skip=true package
exec java -Xmx768m -Drestorepoint.home="$PWD" -jar local-stack/target/local-stack-exec.jar
