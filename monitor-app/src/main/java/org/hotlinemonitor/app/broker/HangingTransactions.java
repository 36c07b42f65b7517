package org.hotlinemonitor.app.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the transactions a crash of the embedded broker left hanging. A broker that stops mid-write (its disk full, the
 * machine losing power) can lose the abort marker of a transaction on one partition while its transaction coordinator
 * has recorded the abort as done: the partition then keeps that transaction open for ever, and every
 * {@code read_committed} reader (the detector restoring its stores, the alert printer, the notifier) waits at its
 * first offset for good. Kafka calls this a hanging transaction; its {@code kafka-transactions.sh find-hanging} and
 * {@code abort} commands end them by hand.
 *
 * <p>Run when the embedded broker starts, before any client of this process: every open transaction then belongs to a
 * process that is gone. Each is ended with an abort marker when its coordinator agrees that it is over and was not
 * committed (no transaction of that producer is known, or it is {@code Empty} or {@code CompleteAbort}); one still ongoing or being committed or aborted is left to its coordinator, which finishes it (a dead
 * producer's within its transaction time-out). A commit whose marker is lost cannot be written from here: it is logged
 * as an error naming the partition.
 */
final class HangingTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);
    private static final Set<TransactionState> OVER_NOT_COMMITTED = Set.of(TransactionState.EMPTY, TransactionState.COMPLETE_ABORT);
    private static final long TIMEOUT_MS = 30_000;

    private HangingTransactions() {
    }

    /** An open transaction on one partition. */
    record Open(TopicPartition partition, ProducerState producer) {
    }

    /**
     * Aborts the hanging transactions of every partition the broker has, Kafka's own {@code __consumer_offsets}
     * included: a transactional offset commit left hanging there makes the detector wait for its committed offsets.
     *
     * @return the transactions aborted
     */
    static List<Open> abort(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (topics.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).values()) {
            d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
        }
        Map<TopicPartition, PartitionProducerState> states = admin.describeProducers(partitions).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<Open> open = new ArrayList<>();
        states.forEach((tp, s) -> s.activeProducers().stream().filter(p -> p.currentTransactionStartOffset().isPresent())
                .forEach(p -> open.add(new Open(tp, p))));
        if (open.isEmpty()) {
            return List.of();
        }
        Set<Long> producerIds = open.stream().map(o -> o.producer().producerId()).collect(Collectors.toSet());
        Collection<TransactionListing> listings = admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<Long, TransactionState> coordinator = new HashMap<>();
        listings.forEach(l -> coordinator.put(l.producerId(), l.state()));
        List<Open> aborted = new ArrayList<>();
        for (Open o : open) {
            ProducerState p = o.producer();
            TransactionState state = coordinator.get(p.producerId());
            String what = "transaction of producer " + p.producerId() + " (epoch " + p.producerEpoch() + ") on " + o.partition()
                    + " open since offset " + p.currentTransactionStartOffset().getAsLong();
            if (state == null || OVER_NOT_COMMITTED.contains(state)) {
                admin.abortTransaction(new AbortTransactionSpec(o.partition(), p.producerId(), (short) p.producerEpoch(),
                        p.coordinatorEpoch().orElse(-1))).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                LOG.info("Embedded Kafka broker: aborted the hanging {} (its coordinator: {}), left by a crash", what,
                        state == null ? "unknown" : state);
                aborted.add(o);
            } else if (state == TransactionState.COMPLETE_COMMIT) {
                LOG.error("Embedded Kafka broker: the {} was committed, but its commit marker is lost: read_committed readers "
                        + "wait there; end it with kafka-transactions.sh (docs/kafka.md)", what);
            }
        }
        return aborted;
    }
}
