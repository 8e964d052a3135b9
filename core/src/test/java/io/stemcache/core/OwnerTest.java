package io.stemcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class OwnerTest {

    private static final UUID USER_ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final String TOKEN = "guest_Token-0123456789";

    @Test
    void user_nullId_namesTheUserId() {
        assertThatThrownBy(() -> Owner.user(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner user id");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"})
    void guest_nullOrBlankToken_namesTheToken(String token) {
        assertThatThrownBy(() -> Owner.guest(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner guest token must not be null or blank");
    }

    @Test
    void guest_tooShortToken_namesTheLength() {
        assertThatThrownBy(() -> Owner.guest("abcdefghijklmnopqrstu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner guest token must be 22 to 128 characters long, got 21");
    }

    @Test
    void guest_randomTokensOfSixteenBytes_areAccepted() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThat(Owner.guest(token).id()).hasSize(22);
            assertThat(Owner.guest("anon-" + UUID.randomUUID().toString().replace("-", ""))
                            .id())
                    .hasSize(37);
        }
    }

    @Test
    void guest_tooLongToken_namesTheLength() {
        assertThatThrownBy(() -> Owner.guest("a".repeat(Owner.MAX_GUEST_TOKEN_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner guest token must be 22 to 128 characters long, got 129");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "guest token 0123456789",
                "guest/token/0123456789",
                "guest.token.0123456789",
                "gästtoken0123456789abc"
            })
    void guest_tokenWithOtherCharacters_namesTheAlphabet(String token) {
        assertThatThrownBy(() -> Owner.guest(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner guest token may only hold letters, digits, '-' and '_'");
    }

    @Test
    void guest_shortestAndLongestTokens_areAccepted() {
        assertThat(Owner.guest("abcdefgh-0123456789_XY").id()).hasSize(22);
        assertThat(Owner.guest("abcdefgh".repeat(16)).id()).hasSize(128);
    }

    @Test
    void of_nullKind_namesTheKind() {
        assertThatThrownBy(() -> Owner.of(null, TOKEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner kind");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " "})
    void of_userWithoutId_namesTheUserId(String id) {
        assertThatThrownBy(() -> Owner.of(Owner.Kind.USER, id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner user id must not be null or blank");
    }

    @Test
    void of_userWithMalformedId_namesTheUserId() {
        assertThatThrownBy(() -> Owner.of(Owner.Kind.USER, "not-a-uuid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner user id must be a UUID, got 'not-a-uuid'");
    }

    @Test
    void of_userWithShortFormId_requiresCanonicalForm() {
        assertThatThrownBy(() -> Owner.of(Owner.Kind.USER, "1-2-3-4-5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner user id must be a canonical UUID");
    }

    @Test
    void of_userWithOverlongId_abbreviatesIt() {
        assertThatThrownBy(() -> Owner.of(Owner.Kind.USER, USER_ID + "-" + "f".repeat(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner user id must be a UUID")
                .hasMessageContaining("...'");
    }

    @Test
    void of_storedForms_equalTheFactories() {
        assertThat(Owner.of(Owner.Kind.USER, USER_ID.toString().toUpperCase())).isEqualTo(Owner.user(USER_ID));
        assertThat(Owner.of(Owner.Kind.GUEST, TOKEN)).isEqualTo(Owner.guest(TOKEN));
        assertThatThrownBy(() -> Owner.of(Owner.Kind.GUEST, "short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner guest token");
    }

    @Test
    void kindFromCode_unknownCode_namesTheKind() {
        assertThat(Owner.Kind.fromCode("guest")).isEqualTo(Owner.Kind.GUEST);
        assertThatThrownBy(() -> Owner.Kind.fromCode("admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner kind must be 'user' or 'guest', got 'admin'");
    }

    @Test
    void equals_userAndGuestWithSameIdText_differ() {
        Owner user = Owner.user(USER_ID);
        Owner guest = Owner.guest(USER_ID.toString());

        assertThat(user.id()).isEqualTo(guest.id());
        assertThat(user).isNotEqualTo(guest);
        assertThat(user.isGuest()).isFalse();
        assertThat(guest.isGuest()).isTrue();
    }

    @Test
    void toString_guest_hidesMostOfTheToken() {
        // The first 8 hex digits of SHA-256("guest_Token-0123456789"): tells guests apart, shows nothing of the token.
        assertThat(Owner.guest(TOKEN).toString())
                .matches("guest#[0-9a-f]{8}")
                .doesNotContain("guest_")
                .isEqualTo("guest#" + java.util.HexFormat.of().formatHex(sha256(TOKEN), 0, 4));
        assertThat(Owner.guest(TOKEN + "x").toString())
                .isNotEqualTo(Owner.guest(TOKEN).toString());
        assertThat(Owner.user(USER_ID)).hasToString("user:" + USER_ID);
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
