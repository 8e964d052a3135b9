package io.stemcache.node.maintenance;

/**
 * How this member's cleanup attempts ended since it started.
 *
 * @param completed runs that did every step
 * @param skipped   attempts that found another member's run holding the lock
 * @param failed    runs that stopped on an error
 */
public record CleanupRuns(long completed, long skipped, long failed) {}
