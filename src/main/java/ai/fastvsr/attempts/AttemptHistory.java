package ai.fastvsr.attempts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * What the attempt store keeps per jobId: the attempts that have not ended normally, in the order they were
 * recorded, or the quarantine once the job crashed too often. A job that ends normally has no history at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptHistory(String jobId, List<Attempt> attempts, Quarantine quarantine) {
    public AttemptHistory {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    AttemptHistory with(Attempt attempt) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        return new AttemptHistory(jobId, all, quarantine);
    }

    AttemptHistory without(String attemptId) {
        return new AttemptHistory(
                jobId, attempts.stream().filter(a -> !a.id().equals(attemptId)).toList(), quarantine);
    }

    /** The outputs this history's attempts (or its quarantine) wrote to. */
    List<String> outputs() {
        List<String> outputs = new ArrayList<>(
                attempts.stream().map(Attempt::output).distinct().toList());
        if (quarantine != null && !outputs.contains(quarantine.output())) {
            outputs.add(quarantine.output());
        }
        return outputs;
    }
}
