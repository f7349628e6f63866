package ai.fastvsr.job;

/**
 * One attempt at a job that never ended: its worker's process went away while running it. {@code startedAt} is
 * that worker's own clock (ISO-8601); it is reported, never compared, since workers' clocks disagree.
 */
public record CrashedAttempt(String worker, String startedAt) {}
