package io.stemcache.core.ops;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for the answer of an operation a member runs, turning its failure into one message naming the operation. */
public final class Operations {

    private Operations() {}

    /**
     * The answer of {@code future} within {@code timeout}; throws IllegalStateException "could not {what}: cause"
     * when the member failed, or "could not {what} within N s".
     */
    public static <T> T await(Future<T> future, String what, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + timeout.toSeconds() + " s", e);
        }
    }
}
