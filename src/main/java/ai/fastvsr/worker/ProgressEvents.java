package ai.fastvsr.worker;

import ai.fastvsr.events.JobEvents;
import ai.fastvsr.events.ProgressPublisher;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.pipeline.Progress;
import java.time.Duration;

/**
 * One job's progress as events: one per phase change, and at most one per interval in between. The frame phase
 * spans 5..95 % of the job; fps is measured over the whole frame phase so far, and the ETA follows from it.
 */
final class ProgressEvents implements Progress {
    private final JobRequest job;
    private final JobEvents events;
    private final ProgressPublisher publisher;
    private final long intervalNanos;
    private Phase phase = Phase.VALIDATING;
    private long lastSent;
    private long framesStarted;

    ProgressEvents(JobRequest job, JobEvents events, ProgressPublisher publisher, Duration interval) {
        this.job = job;
        this.events = events;
        this.publisher = publisher;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public synchronized void phase(Phase next) {
        phase = next;
        if (next == Phase.INFERENCE) {
            framesStarted = System.nanoTime();
        }
        double percent =
                switch (next) {
                    case VALIDATING, DOWNLOADING, SPLITTING -> 0;
                    case DECODING, INFERENCE -> 5;
                    case ENCODING -> 90;
                    case UPLOADING, JOINING -> 95;
                };
        send(percent, null, null, null, null);
    }

    @Override
    public synchronized void frames(long done, long total) {
        long now = System.nanoTime();
        if (now - lastSent < intervalNanos) {
            return;
        }
        double seconds = (now - framesStarted) / 1e9;
        Double fps = seconds > 0 ? done / seconds : null;
        Long eta = fps != null && fps > 0 && total > done ? Math.round((total - done) / fps * 1000) : null;
        double percent = total > 0 ? 5 + 90.0 * Math.min(done, total) / total : 5;
        send(percent, done, total > 0 ? total : null, fps, eta);
    }

    private void send(double percent, Long done, Long total, Double fps, Long eta) {
        lastSent = System.nanoTime();
        publisher.publish(events.progress(
                job,
                phase,
                Math.round(percent * 10) / 10.0,
                done,
                total,
                fps == null ? null : Math.round(fps * 100) / 100.0,
                eta));
    }
}
