package ai.fastvsr.attempts;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The attempt store's contract in memory, for the rules' unit tests (KafkaAttemptStoreIT runs the real one). */
public final class MemoryAttemptStore implements AttemptStore {
    final Map<String, AttemptHistory> histories = new LinkedHashMap<>();
    int writes;

    @Override
    public Optional<AttemptHistory> read(String jobId) {
        return Optional.ofNullable(histories.get(jobId));
    }

    @Override
    public Collection<AttemptHistory> all() {
        return List.copyOf(histories.values());
    }

    @Override
    public void write(AttemptHistory history) {
        writes++;
        histories.put(history.jobId(), history);
    }

    @Override
    public void clear(String jobId) {
        writes++;
        histories.remove(jobId);
    }
}
