package io.stemcache.api;

import io.stemcache.client.AnalysisLeases;
import io.stemcache.client.StemcacheClientProperties;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.EntryDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project page's calls over the caller's files: the status of every stem in one call (no payload moves: the
 * members describe their entries), and warming them into the cluster and this node's near cache.
 */
@RestController
@RequestMapping("/api/v1/files")
final class FilesController {

    /** Most files in one call: 100 files are 500 stems. */
    static final int MAX_FILES = 100;

    private final AudioCacheService cache;
    private final AnalysisLeases leases;
    private final int cacheVersion;

    FilesController(AudioCacheService cache, AnalysisLeases leases, StemcacheClientProperties client) {
        this.cache = cache;
        this.leases = leases;
        this.cacheVersion = client.cacheVersion();
    }

    /** The caller's files to warm. */
    record FileIds(List<String> ids) {}

    /**
     * Per file and stem: {@code state} {@code cached} (a current entry), {@code analysing} (none, but someone holds
     * the stem's lease), {@code stale} (an entry of an older cache version, a miss to readers) or {@code missing};
     * {@code analysing} also on its own; and the entry's size, precision, versions, content hash and time.
     */
    @GetMapping("/status")
    Map<String, Object> status(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) List<String> ids) {
        Owner owner = Callers.owner(jwt);
        Set<UUID> files = fileIds(ids, "query ids");
        Map<AnalysisKey, EntryDescription> entries = cache.describeFiles(owner, files);
        Set<AnalysisKey> keys = new LinkedHashSet<>();
        for (UUID file : files) {
            for (StemType stem : StemType.values()) {
                keys.add(new AnalysisKey(owner, file, stem));
            }
        }
        Set<AnalysisKey> analysing = leases.taken(keys);
        List<Map<String, Object>> answer = new ArrayList<>();
        for (UUID file : files) {
            Map<String, Object> stems = new LinkedHashMap<>();
            for (StemType stem : StemType.values()) {
                AnalysisKey key = new AnalysisKey(owner, file, stem);
                stems.put(stem.code(), stemStatus(entries.get(key), analysing.contains(key)));
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("fileMetadataId", file.toString());
            one.put("stems", stems);
            answer.add(one);
        }
        return Map.of("files", answer);
    }

    private Map<String, Object> stemStatus(EntryDescription entry, boolean analysing) {
        Map<String, Object> status = new LinkedHashMap<>();
        boolean current = entry != null && entry.cacheVersion() == cacheVersion;
        status.put("state", current ? "cached" : analysing ? "analysing" : entry != null ? "stale" : "missing");
        status.put("analysing", analysing && !current);
        if (entry != null) {
            status.put("storedSize", entry.size());
            status.put("rawSize", entry.rawSize());
            status.put("precision", entry.precision().name());
            status.put("version", entry.version());
            status.put("analysisVersion", entry.analysisVersion());
            status.put("cacheVersion", entry.cacheVersion());
            status.put("contentHash", entry.contentHash());
            status.put("updatedAt", entry.updatedAt().toString());
        }
        return status;
    }

    /** Loads the caller's stems of these files into the cluster and this node; answers how many were found. */
    @PostMapping("/warm")
    Map<String, Object> warm(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) FileIds body) {
        Owner owner = Callers.owner(jwt);
        Set<UUID> files = fileIds(body == null ? null : body.ids(), "$.ids");
        int found = cache.warmProject(owner, files);
        return Map.of("files", files.size(), "stems", found);
    }

    /** Distinct canonical file ids, 1 to {@value #MAX_FILES}; else a 400 naming {@code part} (and the index at fault). */
    static Set<UUID> fileIds(List<String> ids, String part) {
        if (ids == null || ids.isEmpty()) {
            throw Problems.badRequest(part, part + " must name at least one file (UUIDs)");
        }
        if (ids.size() > MAX_FILES) {
            throw Problems.badRequest(
                    part, part + " names " + ids.size() + " files; at most " + MAX_FILES + " in one call");
        }
        Set<UUID> files = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i) == null ? "" : ids.get(i).trim();
            files.add(AnalysisController.fileId(id, part + "[" + i + "]", part + "[" + i + "]"));
        }
        return files;
    }
}
