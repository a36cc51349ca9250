#!/bin/bash
# Creates Tempora's resources in LocalStack exactly as the runtime expects them, from the Lambda
# bundle jar. A LocalStack READY hook: docker-compose.yml mounts this directory, and the
# Testcontainers suite copies this same file into its container, so resources are defined here
# only. Names follow dev.tempora.internal.aws.AwsConfig (and its defaults, checked by
# InitScriptTest); the table follows TemporaTable.create / docs/adr/0005.
#
# Settings (environment of the LocalStack container; all optional):
#   TEMPORA_NAMESPACE, TEMPORA_TABLE, TEMPORA_QUEUE_PREFIX, TEMPORA_SCHEDULE_GROUP,
#   TEMPORA_COORDINATOR_FUNCTION   as in AwsConfig, passed on to every function
#   TEMPORA_WORKER_SETUP           WorkerSetup class; unset: the bundle's ServiceLoader entry
#   TEMPORA_ACTIVITY_TASK_QUEUES   space-separated activity task queues (default "default gpu")
#   TEMPORA_LAMBDA_JAR             the bundle inside the container
#   TEMPORA_MAX_RECEIVE_COUNT      receives before a message moves to its DLQ (default 5)
set -euo pipefail

# awslocal in init hooks needs credentials; "test" maps to LocalStack's account 000000000000.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
REGION="$AWS_DEFAULT_REGION"

NAMESPACE="${TEMPORA_NAMESPACE:-default}"
TABLE="${TEMPORA_TABLE:-tempora}"
PREFIX="${TEMPORA_QUEUE_PREFIX:-tempora-}"
SCHEDULE_GROUP="${TEMPORA_SCHEDULE_GROUP:-tempora}"
COORDINATOR_FUNCTION="${TEMPORA_COORDINATOR_FUNCTION:-tempora-coordinator}"
WORKER_SETUP="${TEMPORA_WORKER_SETUP:-}"
TASK_QUEUES="${TEMPORA_ACTIVITY_TASK_QUEUES:-default gpu}"
JAR="${TEMPORA_LAMBDA_JAR:-/opt/tempora/tempora-examples-lambda.jar}"
MAX_RECEIVE_COUNT="${TEMPORA_MAX_RECEIVE_COUNT:-5}"

# Java cold starts in LocalStack take seconds; the queues' visibility timeout must be at least
# the function timeout (Lambda's rule for SQS event sources), or a slow batch is redelivered.
FUNCTION_TIMEOUT=60
VISIBILITY_TIMEOUT=90
MEMORY_MB=1024
CODE_BUCKET="tempora-lambda-code"
CODE_KEY="tempora-examples-lambda.jar"

log() { echo "tempora-init: $*"; }

if [ ! -f "$JAR" ]; then
  echo "tempora-init: the Lambda bundle $JAR is missing; build it (mvn -pl examples-lambda -am package) and mount it" >&2
  exit 1
fi

ACCOUNT=$(awslocal sts get-caller-identity --query Account --output text)
queue_arn() { echo "arn:aws:sqs:${REGION}:${ACCOUNT}:$1"; }

# ---------------------------------------------------------------------------------- DynamoDB
# One table (ADR 5): pk/sk strings, on-demand, GSI "visibility" (vis/vsk) carrying the run
# attributes listing needs, TTL on "ttl".
log "table $TABLE"
awslocal dynamodb create-table \
  --table-name "$TABLE" \
  --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S \
      AttributeName=vis,AttributeType=S AttributeName=vsk,AttributeType=S \
      AttributeName=parked,AttributeType=S AttributeName=parkedAt,AttributeType=S \
  --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
  --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE \
  --global-secondary-indexes '[{"IndexName":"visibility",
      "KeySchema":[{"AttributeName":"vis","KeyType":"HASH"},{"AttributeName":"vsk","KeyType":"RANGE"}],
      "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["namespace","workflowId","runId",
        "status","workflowType","taskQueue","startTime","closeTime","taskFailure","sa"]}},
    {"IndexName":"parked",
      "KeySchema":[{"AttributeName":"parked","KeyType":"HASH"},{"AttributeName":"parkedAt","KeyType":"RANGE"}],
      "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["deployment"]}}]' \
  > /dev/null
awslocal dynamodb wait table-exists --table-name "$TABLE"
awslocal dynamodb update-time-to-live --table-name "$TABLE" \
  --time-to-live-specification Enabled=true,AttributeName=ttl > /dev/null

# --------------------------------------------------------------------------------------- SQS
# create_queue NAME fifo|standard: the queue and its DLQ ("<base>-dlq", ".fifo" kept last, as
# the devserver names them), with a redrive policy after MAX_RECEIVE_COUNT receives.
create_queue() {
  local name="$1" kind="$2" base dlq fifo_attr=""
  base="${name%.fifo}"
  if [ "$kind" = fifo ]; then
    dlq="${base}-dlq.fifo"
    fifo_attr='"FifoQueue":"true",'
  else
    dlq="${base}-dlq"
  fi
  log "queue $name (DLQ $dlq)"
  awslocal sqs create-queue --queue-name "$dlq" --attributes "{${fifo_attr}\"MessageRetentionPeriod\":\"1209600\"}" > /dev/null
  local redrive="{\\\"deadLetterTargetArn\\\":\\\"$(queue_arn "$dlq")\\\",\\\"maxReceiveCount\\\":\\\"${MAX_RECEIVE_COUNT}\\\"}"
  awslocal sqs create-queue --queue-name "$name" \
    --attributes "{${fifo_attr}\"VisibilityTimeout\":\"${VISIBILITY_TIMEOUT}\",\"RedrivePolicy\":\"${redrive}\"}" > /dev/null
}

WORKFLOW_TASKS_QUEUE="${PREFIX}workflow-tasks.fifo"
TIMERS_QUEUE="${PREFIX}timers"
SCHEDULES_QUEUE="${PREFIX}schedules"
create_queue "$WORKFLOW_TASKS_QUEUE" fifo
create_queue "$TIMERS_QUEUE" standard
create_queue "$SCHEDULES_QUEUE" standard
for q in $TASK_QUEUES; do
  create_queue "${PREFIX}activities-${q}" standard
done

# --------------------------------------------------------------------------------------- IAM
# LocalStack does not enforce IAM by default; the roles exist so that ARNs are real and the
# same shape as on AWS.
SCHEDULER_ROLE="${PREFIX}scheduler"
LAMBDA_ROLE="${PREFIX}lambda"
SCHEDULER_ROLE_ARN="arn:aws:iam::${ACCOUNT}:role/${SCHEDULER_ROLE}"
LAMBDA_ROLE_ARN="arn:aws:iam::${ACCOUNT}:role/${LAMBDA_ROLE}"
trust() { echo "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"$1\"},\"Action\":\"sts:AssumeRole\"}]}"; }
log "roles $SCHEDULER_ROLE, $LAMBDA_ROLE"
awslocal iam create-role --role-name "$SCHEDULER_ROLE" --assume-role-policy-document "$(trust scheduler.amazonaws.com)" > /dev/null
awslocal iam put-role-policy --role-name "$SCHEDULER_ROLE" --policy-name send-timers \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":[\"$(queue_arn "$TIMERS_QUEUE")\",\"$(queue_arn "$SCHEDULES_QUEUE")\",\"$(queue_arn "${SCHEDULES_QUEUE}-dlq")\"]}]}"
awslocal iam create-role --role-name "$LAMBDA_ROLE" --assume-role-policy-document "$(trust lambda.amazonaws.com)" > /dev/null

# -------------------------------------------------------------------------------- Scheduler
# Long timers (over 15 minutes) become one-time schedules in this group. LocalStack stores
# them but never fires them: see LocalStackSchedulerDriver.
log "schedule group $SCHEDULE_GROUP"
awslocal scheduler create-schedule-group --name "$SCHEDULE_GROUP" > /dev/null

# ------------------------------------------------------------------------------------ Lambda
log "code s3://$CODE_BUCKET/$CODE_KEY"
awslocal s3 mb "s3://$CODE_BUCKET" > /dev/null
awslocal s3 cp "$JAR" "s3://$CODE_BUCKET/$CODE_KEY" > /dev/null

# Every function gets the deployment's names (AwsConfig.fromEnvironment reads them). The SDK
# clients find LocalStack through AWS_ENDPOINT_URL, which LocalStack sets in its Lambda
# containers (SDK 2.41 honours it).
ENVIRONMENT="{\"Variables\":{\"TEMPORA_NAMESPACE\":\"${NAMESPACE}\",\"TEMPORA_TABLE\":\"${TABLE}\",\
\"TEMPORA_QUEUE_PREFIX\":\"${PREFIX}\",\"TEMPORA_SCHEDULE_GROUP\":\"${SCHEDULE_GROUP}\",\
\"TEMPORA_SCHEDULER_ROLE_ARN\":\"${SCHEDULER_ROLE_ARN}\",\"TEMPORA_COORDINATOR_FUNCTION\":\"${COORDINATOR_FUNCTION}\",\
${WORKER_SETUP:+\"TEMPORA_WORKER_SETUP\":\"${WORKER_SETUP}\",}\
\"TEMPORA_TASK_QUEUES\":\"${TASK_QUEUES// /,}\",\
\"JAVA_TOOL_OPTIONS\":\"-XX:+TieredCompilation -XX:TieredStopAtLevel=1\"}}"

# create_function NAME HANDLER_CLASS
create_function() {
  log "function $1 ($2)"
  awslocal lambda create-function \
    --function-name "$1" \
    --runtime java21 \
    --handler "$2::handleRequest" \
    --role "$LAMBDA_ROLE_ARN" \
    --code "S3Bucket=${CODE_BUCKET},S3Key=${CODE_KEY}" \
    --timeout "$FUNCTION_TIMEOUT" \
    --memory-size "$MEMORY_MB" \
    --environment "$ENVIRONMENT" > /dev/null
}

# consume FUNCTION QUEUE: the SQS event source, reporting partial batch failures as the
# handlers do (SQSBatchResponse).
consume() {
  log "event source $2 -> $1"
  awslocal lambda create-event-source-mapping \
    --function-name "$1" \
    --event-source-arn "$(queue_arn "$2")" \
    --batch-size 10 \
    --function-response-types ReportBatchItemFailures > /dev/null
}

COORDINATOR=dev.tempora.lambda.coordinator
# The function the client invokes for query and describe (LambdaQueryHandler calls
# TEMPORA_COORDINATOR_FUNCTION), and the two queue consumers of the coordinator.
create_function "$COORDINATOR_FUNCTION" "${COORDINATOR}.QueryInvocationHandler"
create_function "${PREFIX}workflow-tasks" "${COORDINATOR}.WorkflowTaskHandler"
create_function "${PREFIX}timers" "${COORDINATOR}.TimerQueueHandler"
# Schedules (ADR 14): ticks of their recurring Scheduler schedules, and the firings they send.
create_function "${PREFIX}schedules" "${COORDINATOR}.ScheduleQueueHandler"
create_function "${PREFIX}stream-relay" "${COORDINATOR}.TableStreamHandler"
for q in $TASK_QUEUES; do
  create_function "${PREFIX}activities-${q}" dev.tempora.lambda.activity.ActivityTaskHandler
done

# Pulling the java21 runtime image happens here, on a first run; event sources come after.
FUNCTIONS=("$COORDINATOR_FUNCTION" "${PREFIX}workflow-tasks" "${PREFIX}timers" "${PREFIX}schedules" "${PREFIX}stream-relay")
for q in $TASK_QUEUES; do FUNCTIONS+=("${PREFIX}activities-${q}"); done
for f in "${FUNCTIONS[@]}"; do
  awslocal lambda wait function-active-v2 --function-name "$f"
done

consume "${PREFIX}workflow-tasks" "$WORKFLOW_TASKS_QUEUE"
consume "${PREFIX}timers" "$TIMERS_QUEUE"
consume "${PREFIX}schedules" "$SCHEDULES_QUEUE"
# The stream relay (ADR 8) on the table's stream; the CDK construct also filters the records.
log "event source $TABLE stream -> ${PREFIX}stream-relay"
awslocal lambda create-event-source-mapping \
  --function-name "${PREFIX}stream-relay" \
  --event-source-arn "$(awslocal dynamodb describe-table --table-name "$TABLE" --query Table.LatestStreamArn --output text)" \
  --starting-position TRIM_HORIZON \
  --batch-size 100 \
  --function-response-types ReportBatchItemFailures > /dev/null
for q in $TASK_QUEUES; do
  consume "${PREFIX}activities-${q}" "${PREFIX}activities-${q}"
done

log "ready: table $TABLE, queues ${PREFIX}*, schedule group $SCHEDULE_GROUP, functions ${FUNCTIONS[*]}"
