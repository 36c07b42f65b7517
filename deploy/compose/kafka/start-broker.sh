#!/bin/sh
# Starts one broker of deploy/compose/compose.yaml (image apache/kafka): writes its configuration from
# server.properties plus this node's settings and the passwords from the environment (into a file only the broker's
# user can read, never on a command line), formats its data directory the first time (with the admin user's SCRAM
# credentials, so that the brokers can log in to each other before any user exists), then runs Kafka.
#
# Environment (set by compose.yaml from .env): NODE_ID (1, 2, 3), CLUSTER_ID (22 characters, the same on every node:
# `kafka-storage.sh random-uuid`), KAFKA_ADMIN_PASSWORD, KAFKA_CONTROLLER_PASSWORD.
# RENDER_ONLY=1 prints the configuration and stops (the build's test checks it with Kafka's own KafkaConfig).
set -eu
: "${NODE_ID:?set NODE_ID to this broker's node id}"
: "${CLUSTER_ID:?set CLUSTER_ID (kafka-storage.sh random-uuid), the same on every broker}"
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD}"
: "${KAFKA_CONTROLLER_PASSWORD:?set KAFKA_CONTROLLER_PASSWORD}"
KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
HERE="$(cd "$(dirname "$0")" && pwd)"
CONFIG="${BROKER_CONFIG:-/tmp/server.properties}"

render() {
    cat "$HERE/server.properties"
    echo "node.id=$NODE_ID"
    echo "advertised.listeners=CLIENT://kafka-$NODE_ID:9092,INTERNAL://kafka-$NODE_ID:19092"
    echo "listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$KAFKA_ADMIN_PASSWORD\";"
    echo "listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
    echo "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"controller\" password=\"$KAFKA_CONTROLLER_PASSWORD\" user_controller=\"$KAFKA_CONTROLLER_PASSWORD\";"
}

if [ "${RENDER_ONLY:-}" = 1 ]; then
    render
    exit 0
fi
umask 077
render > "$CONFIG"
"$KAFKA_HOME/bin/kafka-storage.sh" format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$CONFIG" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]"
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$CONFIG"
