package io.stemcache.core.codec;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.StemType;
import java.util.UUID;

/**
 * What a verified payload says about itself without decompressing its columns: the header and the
 * envelope (which file and stem, which analysis version, the exact metadata).
 */
public record PayloadSummary(
        PayloadHeader header,
        UUID fileMetadataId,
        StemType stemType,
        String analysisVersion,
        AnalysisMetadata metadata) {}
