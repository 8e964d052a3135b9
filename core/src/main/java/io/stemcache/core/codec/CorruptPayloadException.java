package io.stemcache.core.codec;

/** A payload is not one the codec made: truncated, corrupt, of an unknown format or lying about its sizes. */
public final class CorruptPayloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptPayloadException(String message) {
        super(message);
    }

    public CorruptPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
