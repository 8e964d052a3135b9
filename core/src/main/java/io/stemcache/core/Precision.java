package io.stemcache.core;

/**
 * The precision an entry's feature series are stored at. Lossless is the default; the others are an
 * opt-in per entry for callers who prefer smaller entries, with a stated maximum error.
 */
public enum Precision {
    /** Every value bit-exact. */
    FLOAT64,
    /** Series rounded to the nearest float32: relative error at most 2^-24 (about 6e-8). */
    FLOAT32,
    /**
     * Series quantised to 16 bits between their own minimum and maximum: absolute error at most
     * (max - min) / 131070, i.e. 7.7e-6 for series normalised to [0, 1]. Waveform and markers stay exact.
     */
    Q16
}
