package io.stemcache.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws keys {@code 0..n-1} with Zipf-distributed popularity: the key of rank {@code r} (1-based) with
 * probability proportional to {@code 1 / r^s}. Ranks are assigned to keys in a random order, so popular
 * keys spread over partitions and members.
 */
final class Zipf {

    private final double[] cumulative;
    private final int[] keyOfRank;
    private final int[] rankOfKey;
    private final Random random;

    Zipf(int n, double exponent, Random random) {
        if (n < 1 || !(exponent >= 0)) {
            throw new IllegalArgumentException("Zipf needs n >= 1 and s >= 0, got n=" + n + ", s=" + exponent);
        }
        this.random = random;
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += 1 / Math.pow(rank + 1, exponent);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < n; rank++) {
            cumulative[rank] /= sum;
        }
        keyOfRank = new int[n];
        rankOfKey = new int[n];
        for (int i = 0; i < n; i++) {
            keyOfRank[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = keyOfRank[i];
            keyOfRank[i] = keyOfRank[j];
            keyOfRank[j] = swap;
        }
        for (int rank = 0; rank < n; rank++) {
            rankOfKey[keyOfRank[rank]] = rank;
        }
    }

    int next() {
        int rank = Arrays.binarySearch(cumulative, random.nextDouble());
        rank = rank < 0 ? -rank - 1 : rank;
        return keyOfRank[Math.min(rank, keyOfRank.length - 1)];
    }

    int[] next(int count) {
        int[] keys = new int[count];
        for (int i = 0; i < count; i++) {
            keys[i] = next();
        }
        return keys;
    }

    /** 0 for the most popular key. */
    int rankOf(int key) {
        return rankOfKey[key];
    }
}
