package io.stemcache.core.issues;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.Owner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: {@code Owner.guest} accepted {@code "a".repeat(16)} as a guest token, and a guest token is the only
 * credential to a guest's entries, so a guessable token read them. This test failed before the fix: the tokens were
 * accepted. Fixed in cdd132a: a token needs 22 to 128 characters of {@code [A-Za-z0-9_-]} (16 random bytes as
 * base64url, Supabase's {@code anon-} + 32 hex pass) with at least 8 distinct characters, and the refusal does not
 * echo it ({@code OwnerTest} holds the rest of the rules, random tokens accepted among them).
 */
class GuessableGuestTokensTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "aaaaaaaaaaaaaaaaaaaaaa",
                "abababababababababababab",
                "0000000000000000000000000000000000000000",
                "abcabcabcabcabcabcabcabc",
                "gggggggggggggggg-token",
                "aaaa-bbbb-cccc-dddd-eeee"
            })
    void guest_repetitiveToken_isRefusedWithoutEchoingIt(String token) {
        assertThatThrownBy(() -> Owner.guest(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner guest token must hold at least 8 distinct characters")
                .hasMessageNotContaining(token);
    }
}
