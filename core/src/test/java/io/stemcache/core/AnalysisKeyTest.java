package io.stemcache.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnalysisKeyTest {

    private static final String FILE = "3b627814-5984-4bd1-8145-31a98cbb302b";
    private static final Owner USER = Owner.user(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"));

    @Test
    void of_nullOwner_namesTheOwner() {
        assertThatThrownBy(() -> AnalysisKey.of(null, FILE, "drums"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key owner must not be null");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void of_missingFileMetadataId_namesIt(String fileMetadataId) {
        assertThatThrownBy(() -> AnalysisKey.of(USER, fileMetadataId, "drums"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key fileMetadataId must not be null or blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "3b627814-5984-4bd1-8145", "3b627814-5984-4bd1-8145-31a98cbb302g"})
    void of_malformedFileMetadataId_namesIt(String fileMetadataId) {
        assertThatThrownBy(() -> AnalysisKey.of(USER, fileMetadataId, "drums"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key fileMetadataId must be a UUID");
    }

    @Test
    void of_shortFormFileMetadataId_requiresCanonicalForm() {
        assertThatThrownBy(() -> AnalysisKey.of(USER, "1-2-3-4-5", "drums"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key fileMetadataId must be a canonical UUID");
    }

    @Test
    void of_overlongFileMetadataId_namesItAbbreviated() {
        String overlong = FILE + FILE + FILE;

        assertThatThrownBy(() -> AnalysisKey.of(USER, overlong, "drums"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key fileMetadataId must be a UUID")
                .hasMessageNotContaining(overlong);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " "})
    void of_missingStemType_namesIt(String stemType) {
        assertThatThrownBy(() -> AnalysisKey.of(USER, FILE, stemType))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stem type must not be null or blank");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "piano",
                "DRUMS",
                "drums ",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            })
    void of_unknownStemType_namesIt(String stemType) {
        assertThatThrownBy(() -> AnalysisKey.of(USER, FILE, stemType))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stem type must be one of master, drums, bass, vocals, other")
                .hasMessageNotContaining("x".repeat(41));
    }

    @Test
    void new_nullParts_nameThePart() {
        UUID file = UUID.fromString(FILE);
        assertThatThrownBy(() -> new AnalysisKey(USER, null, StemType.BASS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key fileMetadataId");
        assertThatThrownBy(() -> new AnalysisKey(USER, file, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key stemType");
    }

    @Test
    void of_equalParts_makeEqualKeysSharingThePartition() {
        AnalysisKey a = AnalysisKey.of(USER, FILE, "drums");
        AnalysisKey b = AnalysisKey.of(Owner.of(Owner.Kind.USER, USER.id()), FILE.toUpperCase(), "drums");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.getPartitionKey()).isEqualTo(b.getPartitionKey());
        assertThat(a.entryId()).isEqualTo(b.entryId());
        assertThat(a).hasToString(USER + "/" + FILE + "/drums");
    }

    @Test
    void getPartitionKey_stemsOfOneFile_shareAPartitionButNotAnId() {
        AnalysisKey drums = AnalysisKey.of(USER, FILE, "drums");
        AnalysisKey bass = AnalysisKey.of(USER, FILE, "bass");

        assertThat(drums).isNotEqualTo(bass);
        assertThat(drums.getPartitionKey()).isEqualTo(bass.getPartitionKey());
        assertThat(drums.entryId()).isNotEqualTo(bass.entryId());
    }

    @Test
    void equals_userAndGuestWithSameIdText_differ() {
        Owner guest = Owner.guest(USER.id());
        AnalysisKey ofUser = AnalysisKey.of(USER, FILE, "vocals");
        AnalysisKey ofGuest = AnalysisKey.of(guest, FILE, "vocals");

        assertThat(ofUser).isNotEqualTo(ofGuest);
        assertThat(ofUser.getPartitionKey()).isNotEqualTo(ofGuest.getPartitionKey());
        assertThat(ofUser.entryId()).isNotEqualTo(ofGuest.entryId());
    }
}
