package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitPlanesTest {

    private final Random random = new Random(7);

    @Test
    void shuffle_matchesTheDocumentedLayoutBitByBit() {
        for (int n : new int[] {0, 1, 7, 8, 9, 63, 1001}) {
            for (int pre : new int[] {BitPlanes.NONE, BitPlanes.DELTA}) {
                double[] values = randomValues(n);
                byte[] planes = new byte[BitPlanes.size(n)];
                BitPlanes.shuffle(values, pre, planes);
                assertThat(planes).as("n=%d pre=%d", n, pre).isEqualTo(referencePlanes(values, pre));
            }
        }
    }

    @Test
    void unshuffle_invertsShuffle() {
        for (int n : new int[] {0, 1, 5, 8, 17, 4096, 4099}) {
            for (int pre : new int[] {BitPlanes.NONE, BitPlanes.DELTA}) {
                double[] values = randomValues(n);
                byte[] planes = new byte[BitPlanes.size(n)];
                BitPlanes.shuffle(values, pre, planes);
                double[] back = new double[n];
                BitPlanes.unshuffle(planes, pre, back);
                for (int i = 0; i < n; i++) {
                    assertThat(Double.doubleToRawLongBits(back[i]))
                            .as("n=%d pre=%d i=%d", n, pre, i)
                            .isEqualTo(Double.doubleToRawLongBits(values[i]));
                }
            }
        }
    }

    @Test
    void transpose8_isItsOwnInverseAndMovesBitAbToBa() {
        for (int k = 0; k < 1000; k++) {
            long x = random.nextLong();
            long t = BitPlanes.transpose8(x);
            assertThat(BitPlanes.transpose8(t)).isEqualTo(x);
            for (int a = 0; a < 8; a++) {
                for (int b = 0; b < 8; b++) {
                    assertThat((t >>> (8 * b + a)) & 1).isEqualTo((x >>> (8 * a + b)) & 1);
                }
            }
        }
    }

    /** The layout as the package documentation states it, one bit at a time. */
    private static byte[] referencePlanes(double[] values, int pre) {
        int n = values.length;
        int nb = (n + 7) / 8;
        long[] v = new long[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            long d = bits - previous;
            v[i] = pre == BitPlanes.DELTA ? (d << 1) ^ (d >> 63) : bits;
            previous = bits;
        }
        byte[] planes = new byte[6 * n + 16 * nb];
        for (int j = 0; j < 6; j++) {
            for (int i = 0; i < n; i++) {
                planes[j * n + i] = (byte) (v[i] >>> (8 * j));
            }
        }
        int plane = 0;
        for (int p = 6; p < 8; p++) {
            for (int r = 0; r < 8; r++, plane++) {
                for (int i = 0; i < n; i++) {
                    if ((v[i] >>> (8 * p + r) & 1) != 0) {
                        planes[6 * n + plane * nb + i / 8] |= (byte) (1 << (i % 8));
                    }
                }
            }
        }
        return planes;
    }

    private double[] randomValues(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(4) == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble();
        }
        return values;
    }
}
