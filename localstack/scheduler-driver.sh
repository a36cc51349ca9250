#!/bin/bash
# Fires the long timers of a LocalStack stack (docker-compose.yml): LocalStack stores EventBridge
# Scheduler schedules but never fires them, so this polls the schedule group and sends each due
# schedule's input to its queue (LocalStackSchedulerDriver). Argument: poll interval in seconds
# (default 10). Environment: AWS_ENDPOINT_URL (default http://localhost:4566),
# TEMPORA_SCHEDULE_GROUP (default tempora). Runs until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk21
cp_file="localstack/target/driver.classpath"
log="${TMPDIR:-/tmp}/tempora-driver-build.$$.log"
mvn -B -q -ntp compile dependency:build-classpath -pl localstack -am \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime >"$log" 2>&1 \
  || { cat "$log" >&2; rm -f "$log"; echo "scheduler-driver: build failed" >&2; exit 1; }
rm -f "$log"
exec java -cp "$PWD/localstack/target/classes:$(cat "$cp_file")" dev.tempora.localstack.LocalStackSchedulerDriver "$@"
