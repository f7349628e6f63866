package ai.fastvsr.job;

/**
 * The contract between the routes (camel-routes/jobs.yaml, intake.yaml) and their beans, in one place: the route
 * id and the exchange properties the route sets and the beans read. Beans take what they need as annotated
 * parameters ({@code @ExchangeProperty(JobRoute.JOB)}); the YAML names only the bean and the method.
 * JobRouteContractTest holds the YAML and log4j2.xml to these names.
 */
public final class JobRoute {
    /** The job route's id: {@code JobBudget} counts its exchanges, log4j2.xml names its logger after it. */
    public static final String ID = "upscale-jobs";
    /** The parsed {@link JobRequest}, set once {@code jobReader.read} accepted the record. */
    public static final String JOB = "job";
    /** The record's original bytes, kept for the dead-letter topic. */
    public static final String RAW_JOB = "rawJob";
    /** This worker's attempt at the job (attempts.Attempt), recorded by {@code jobAttempts.begin} before the work. */
    public static final String ATTEMPT = "attempt";
    /** The record's manual-commit handle, kept aside before the header clean-up that precedes each event. */
    public static final String KAFKA_COMMIT = "kafkaCommit";
    /** A split parent's segment count, set by the route once the parent has cut its input. */
    public static final String SEGMENTS = "segments";
    /** Publishes a split parent's child jobs on the job topic. */
    public static final String PUBLISH_CHILDREN = "direct:publish-children";
    /** A split child's completion as it concerns the parent (split.ChildDone), while the route publishes it. */
    public static final String CHILD_DONE = "childDone";
    /** Reports a completed child to its split parent: progress, and the join once all children are done. */
    public static final String CHILD_DONE_ROUTE = "direct:child-done";
    /** Fails a split parent whose child failed. */
    public static final String CHILD_FAILED = "direct:child-failed";
    /** Sends the CloudEvent in the body to the events topic and waits for the broker's ack. */
    public static final String PUBLISH_EVENT = "direct:publish-event";
    /** Sends the original record to the dead-letter topic with error headers. */
    public static final String DEAD_LETTER = "direct:dead-letter";

    private JobRoute() {}
}
