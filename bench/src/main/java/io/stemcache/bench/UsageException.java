package io.stemcache.bench;

/** A command line the benchmark cannot run: a missing argument, an unknown option, a malformed value. */
final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
