package ai.fastvsr.split;

/**
 * A join job whose join was done and announced before (its output exists and the split's objects are gone): a
 * second join job published by two children completing at once, or a redelivery after the cleanup. Nothing is
 * published again.
 */
public record AlreadyJoined(String parentId) {}
