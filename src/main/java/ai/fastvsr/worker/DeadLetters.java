package ai.fastvsr.worker;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.job.CrashLoop;
import ai.fastvsr.job.JobRoute;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Prepares a record for the dead-letter topic: the original bytes as they came, the original headers, and headers
 * saying why and where it came from, so an operator can replay or discard it. Poison messages ({@code INVALID_JOB})
 * and quarantined jobs ({@code CRASH_LOOP}, with the crashed attempts) go the same way.
 */
public final class DeadLetters {
    public static final String ERROR_CODE = "fastvsr.error.code";
    public static final String ERROR_MESSAGE = "fastvsr.error.message";
    public static final String ORIGINAL_TOPIC = "fastvsr.original.topic";
    public static final String ORIGINAL_PARTITION = "fastvsr.original.partition";
    public static final String ORIGINAL_OFFSET = "fastvsr.original.offset";
    /** CRASH_LOOP only: the crashed attempts as a JSON array of {worker, startedAt}, and how many. */
    public static final String ATTEMPTS = "fastvsr.attempts";

    public static final String ATTEMPT_COUNT = "fastvsr.attempts.count";

    private final ObjectMapper json;

    public DeadLetters(ObjectMapper json) {
        this.json = json;
    }

    public void describe(Exchange exchange) throws JsonProcessingException {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        var in = exchange.getIn();
        in.setHeader(ERROR_CODE, Failure.codeOf(error).name());
        in.setHeader(ERROR_MESSAGE, error == null ? "unknown" : String.valueOf(error.getMessage()));
        in.setHeader(ORIGINAL_TOPIC, String.valueOf(in.getHeader(KafkaConstants.TOPIC)));
        in.setHeader(ORIGINAL_PARTITION, String.valueOf(in.getHeader(KafkaConstants.PARTITION)));
        in.setHeader(ORIGINAL_OFFSET, String.valueOf(in.getHeader(KafkaConstants.OFFSET)));
        if (error instanceof CrashLoop crash) {
            in.setHeader(ATTEMPTS, json.writeValueAsString(crash.attempts()));
            in.setHeader(ATTEMPT_COUNT, String.valueOf(crash.attempts().size()));
        }
        in.setBody(exchange.getProperty(JobRoute.RAW_JOB, byte[].class));
    }
}
