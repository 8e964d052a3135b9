package io.stemcache.core.codec;

/** An analysis is larger than the configured limit; nothing was encoded or stored. */
public final class PayloadTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
