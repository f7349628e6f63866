package ai.fastvsr.split;

import io.cloudevents.CloudEvent;

/**
 * A child of a split completed: the parent's progress event to publish, and, when it was the last child to
 * complete, the parent's join job (key = the parent's jobId) to publish on the job topic.
 */
public record ChildDone(CloudEvent progress, String parentId, byte[] joinJob) {}
