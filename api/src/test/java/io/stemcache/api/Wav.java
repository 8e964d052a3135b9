package io.stemcache.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Real audio for the browser tests: 16-bit PCM mono WAV at 44.1 kHz, a tone with its harmonics under a quiet noise
 * floor and a noise burst (a drum-like hit) every half second, so every feature moves and onsets are there to find.
 */
final class Wav {

    static final int SAMPLE_RATE = 44_100;

    private Wav() {}

    /** {@code seconds} of audio in {@code file}; {@code seed} makes another file of the same length differ. */
    static Path write(Path file, double seconds, long seed) {
        int samples = (int) Math.round(seconds * SAMPLE_RATE);
        ByteBuffer out = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
        out.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(SAMPLE_RATE)
                .putInt(2 * SAMPLE_RATE)
                .putShort((short) 2)
                .putShort((short) 16);
        out.put("data".getBytes()).putInt(2 * samples);
        SplittableRandom random = new SplittableRandom(seed);
        double pitch = 196 + seed % 7 * 20;
        int burst = SAMPLE_RATE / 2;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / SAMPLE_RATE;
            double tone = 0.30 * Math.sin(2 * Math.PI * pitch * t) + 0.10 * Math.sin(2 * Math.PI * 3 * pitch * t);
            int sinceHit = i % burst;
            double hit = sinceHit < 2_000 ? 0.5 * Math.exp(-sinceHit / 400.0) * (2 * random.nextDouble() - 1) : 0;
            double floor = 0.01 * (2 * random.nextDouble() - 1);
            double value = Math.max(-1, Math.min(1, tone + hit + floor));
            out.putShort((short) Math.round(value * 32767));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
