#!/bin/bash
# The LocalStack suite, for a machine with a Docker engine: builds the examples Lambda bundle and
# the modules it needs (their tests skipped), then runs this module's tests. Fails, instead of
# skipping, if no Docker engine answers. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk21
exec mvn -B -ntp -pl localstack -am verify \
  -Dtest='ComposeFileTest,InitScriptTest,LocalStackSchedulerDriverTest,LocalStackEndToEndTest' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtempora.localstack.required=true "$@"
