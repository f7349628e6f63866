package ai.fastvsr.events;

/** The CloudEvents {@code type} of each event on the events topic. */
public enum EventType {
    ACCEPTED("ai.fastvsr.job.accepted"),
    PROGRESS("ai.fastvsr.job.progress"),
    COMPLETED("ai.fastvsr.job.completed"),
    FAILED("ai.fastvsr.job.failed");

    private final String type;

    EventType(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static EventType of(String type) {
        for (EventType t : values()) {
            if (t.type.equals(type)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type " + type);
    }
}
