package ai.fastvsr.worker;

import ai.fastvsr.job.JobRoute;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits the job record's offset. The route calls it last, after the job's final event was acknowledged by Kafka,
 * so a crash before that point redelivers the job instead of losing it.
 */
public final class KafkaOffsets {
    public void commit(@ExchangeProperty(JobRoute.KAFKA_COMMIT) KafkaManualCommit commit) {
        if (commit == null) {
            throw new IllegalStateException("no manual-commit handle: the consumer must use allowManualCommit=true");
        }
        commit.commit();
    }
}
