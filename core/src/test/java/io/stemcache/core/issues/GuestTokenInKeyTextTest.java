package io.stemcache.core.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: {@code Owner.toString} printed the first 6 characters of a guest's token, and {@code AnalysisKey.toString},
 * which logs use, with it: a log line held part of the only credential to a guest's entries. This test failed before
 * the fix (the prefix was there). Fixed in cdd132a: a guest prints as {@code guest#} and the first 8 hex digits of
 * its token's SHA-256.
 */
class GuestTokenInKeyTextTest {

    private static final String FILE = "3b627814-5984-4bd1-8145-31a98cbb302b";

    @Test
    void toString_guestKey_holdsNoPartOfTheToken() {
        String token = "Qx7vR2mK9pL4tW8nB3cF6h";
        AnalysisKey key = AnalysisKey.of(Owner.guest(token), FILE, "drums");

        assertThat(key.toString()).matches("guest#[0-9a-f]{8}/" + FILE + "/drums");
        for (int i = 0; i + 4 <= token.length(); i++) {
            assertThat(key.toString()).doesNotContain(token.substring(i, i + 4));
        }
    }
}
