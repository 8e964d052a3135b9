package io.stemcache.core.codec;

import io.stemcache.core.Precision;
import java.util.concurrent.RecursiveAction;

/**
 * Decodes the series columns of one payload, in parallel when they are large enough to gain from it.
 *
 * <p>A first pass over the payload (by {@link AnalysisBody}) checks each column's structure and steps over
 * it, so every column's start and value count are known; then the columns are decompressed and rebuilt apart,
 * by the calling thread and, for a payload of at least {@link #PARALLEL_MIN_VALUES} values, the common
 * fork-join pool. A full stem (about 550 000 values) decodes about twice as fast on two cores. Failures are
 * kept per column and the first column's is thrown, so a corrupt payload names the same problem however the
 * work was split.
 */
final class SeriesColumns extends RecursiveAction {

    /** Below this many values (1 MiB of float64) one thread decodes every column: forking would cost more. */
    static final long PARALLEL_MIN_VALUES = 1 << 17;

    /** A part of the columns holding at most this many values is decoded by one thread. */
    private static final long SPLIT_VALUES = 1 << 16;

    private final PayloadReader in;
    private final Precision precision;
    private final String[] contexts;
    private final int[] starts;
    private final long[] sizes;
    private final double[][] values;
    private final RuntimeException[] failures;
    private final int from;
    private final int to;

    private SeriesColumns(
            PayloadReader in,
            Precision precision,
            String[] contexts,
            int[] starts,
            long[] sizes,
            double[][] values,
            RuntimeException[] failures,
            int from,
            int to) {
        this.in = in;
        this.precision = precision;
        this.contexts = contexts;
        this.starts = starts;
        this.sizes = sizes;
        this.values = values;
        this.failures = failures;
        this.from = from;
        this.to = to;
    }

    /**
     * Decodes column {@code k} at {@code starts[k]}, holding {@code sizes[k]} values, named {@code contexts[k]}
     * in messages; returns the columns' values in order, or throws the first column's failure.
     */
    static double[][] decode(PayloadReader in, Precision precision, String[] contexts, int[] starts, long[] sizes) {
        int count = starts.length;
        double[][] values = new double[count][];
        RuntimeException[] failures = new RuntimeException[count];
        SeriesColumns all = new SeriesColumns(in, precision, contexts, starts, sizes, values, failures, 0, count);
        if (all.valueCount() >= PARALLEL_MIN_VALUES) {
            all.invoke(); // runs in this thread, forking halves to the common pool
        } else {
            all.decodeAll();
        }
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        return values;
    }

    @Override
    protected void compute() {
        if (to - from < 2 || valueCount() <= SPLIT_VALUES) {
            decodeAll();
            return;
        }
        long half = valueCount() / 2;
        int mid = from + 1;
        for (long sum = sizes[from]; mid < to - 1 && sum + sizes[mid] <= half; mid++) {
            sum += sizes[mid];
        }
        invokeAll(part(from, mid), part(mid, to));
    }

    private SeriesColumns part(int partFrom, int partTo) {
        return new SeriesColumns(in, precision, contexts, starts, sizes, values, failures, partFrom, partTo);
    }

    private long valueCount() {
        long sum = 0;
        for (int k = from; k < to; k++) {
            sum += sizes[k];
        }
        return sum;
    }

    private void decodeAll() {
        for (int k = from; k < to; k++) {
            try {
                PayloadReader column = in.column(starts[k], sizes[k], contexts[k]);
                values[k] = switch (precision) {
                    case FLOAT64 -> FloatColumns.readExact(column);
                    case FLOAT32 -> FloatColumns.readFloat32(column);
                    case Q16 -> FloatColumns.readQ16(column);
                };
            } catch (RuntimeException e) {
                failures[k] = e;
            }
        }
    }
}
