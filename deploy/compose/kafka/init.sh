#!/bin/sh
# The one-shot init service of deploy/compose/compose.yaml (image apache/kafka), as the admin user: waits for the
# cluster, creates or updates one SCRAM user per role (docs/security.md), creates the monitor's topics as
# docs/kafka.md says (replication factor 3 and min.insync.replicas 2 from the brokers' defaults), then the roles' ACLs
# with deploy/kafka/acls.sh (mounted at ACLS_SCRIPT, default /opt/hotline-acls/acls.sh; one kafka-acls.sh JVM per
# ACL, about two minutes on the first start). Safe to run again: existing topics are kept, users' passwords updated, ACLs kept.
#
# Environment (from .env): KAFKA_ADMIN_PASSWORD, and one password per role: SCHEDULER_KAFKA_PASSWORD,
# API_KAFKA_PASSWORD, DETECTOR_KAFKA_PASSWORD, NOTIFIER_KAFKA_PASSWORD, REPLAY_KAFKA_PASSWORD; HOTLINE_PARTITIONS
# (default 6). The user names are the roles' (User:scheduler, ...), the names acls.sh grants.
set -eu
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD}"
KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
PATH="$KAFKA_HOME/bin:$PATH"
export PATH
BOOTSTRAP="${BOOTSTRAP:-kafka-1:9092,kafka-2:9092,kafka-3:9092}"
PARTITIONS="${HOTLINE_PARTITIONS:-6}"
ADMIN_CONFIG=/tmp/admin.properties
umask 077
cat > "$ADMIN_CONFIG" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPERTIES

echo "waiting for the cluster at $BOOTSTRAP"
tries=0
until kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --list > /dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
        echo "error: no answer from $BOOTSTRAP within 120 s" >&2
        exit 1
    fi
    sleep 2
done

for user in scheduler api detector notifier replay; do
    variable="$(echo "$user" | tr a-z A-Z)_KAFKA_PASSWORD"
    password="$(printenv "$variable" || true)"
    if [ -z "$password" ]; then
        echo "error: $variable is not set (deploy/compose/.env.example)" >&2
        exit 1
    fi
    kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --alter \
        --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" --entity-type users --entity-name "$user"
done

for topic in hotline.events hotline.alerts hotline.rejects hotline.notify-rejects; do
    kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --create --if-not-exists \
        --topic "$topic" --partitions "$PARTITIONS" --replication-factor 3 --config min.insync.replicas=2
done
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --create --if-not-exists \
    --topic hotline.silences --partitions 1 --replication-factor 3 --config min.insync.replicas=2 --config cleanup.policy=compact

BOOTSTRAP="$BOOTSTRAP" ADMIN_CONFIG="$ADMIN_CONFIG" sh "${ACLS_SCRIPT:-/opt/hotline-acls/acls.sh}" > /dev/null
echo "init done: 5 users, 5 topics, the roles' ACLs"
