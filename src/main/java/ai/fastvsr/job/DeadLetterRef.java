package ai.fastvsr.job;

/** Where a record was copied on the dead-letter topic, so an operator can find it. */
public record DeadLetterRef(String topic, int partition, long offset) {
    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
