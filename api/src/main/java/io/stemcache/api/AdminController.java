package io.stemcache.api;

import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CacheStats;
import io.stemcache.core.Owner;
import io.stemcache.core.ops.RecordedStats;
import io.stemcache.core.ops.StatsHistory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operations over every owner's entries (the admin role, see {@link SecurityConfiguration}) and statistics. */
@RestController
final class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

    private final AudioCacheService cache;

    AdminController(AudioCacheService cache) {
        this.cache = cache;
    }

    @DeleteMapping("/api/v1/admin/files/{fileId}")
    ResponseEntity<Void> invalidateFile(@PathVariable String fileId) {
        UUID file = AnalysisController.fileId(fileId);
        int removed = cache.invalidateFile(file);
        LOG.info("Admin invalidated file {}: {} entries removed", file, removed);
        return ResponseEntity.noContent().build();
    }

    /** Runs the cluster's cleanup of PostgreSQL now; answers how many rows it deleted. */
    @PostMapping("/api/v1/admin/cleanup")
    Map<String, Object> cleanup() {
        long deleted = cache.clearExpired();
        LOG.info("Admin ran the cleanup: {} rows deleted", deleted);
        return Map.of("deleted", deleted);
    }

    @GetMapping("/api/v1/admin/stats")
    CacheStats adminStats() {
        return cache.getCacheStats();
    }

    /** Rows of history a management page asks for when it names none: two hours at one row a minute. */
    static final int DEFAULT_HISTORY_ROWS = 120;

    /**
     * The cluster's figures over time, from {@code cache_statistics} (a member reads them: this node has no
     * database): the latest {@code limit} rows, oldest first, each with its hit rate.
     */
    @GetMapping("/api/v1/admin/stats/history")
    Map<String, Object> history(@RequestParam(defaultValue = "" + DEFAULT_HISTORY_ROWS) int limit) {
        if (limit < 1 || limit > StatsHistory.MAX_ROWS) {
            throw Problems.badRequest(
                    "query limit", "limit must be 1 to " + StatsHistory.MAX_ROWS + " rows, got " + limit);
        }
        List<Map<String, Object>> rows =
                cache.statsHistory(limit).stream().map(AdminController::row).toList();
        return Map.of("rows", rows);
    }

    private static Map<String, Object> row(RecordedStats stats) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("recordedAt", stats.recordedAt().toString());
        row.put("entries", stats.entries());
        row.put("storedBytes", stats.storedBytes());
        row.put("rawBytes", stats.rawBytes());
        row.put("hits", stats.hits());
        row.put("misses", stats.misses());
        row.put("hitRate", stats.hitRate());
        row.put("puts", stats.puts());
        row.put("removals", stats.removals());
        row.put("evictions", stats.evictions());
        row.put("expirations", stats.expirations());
        row.put("writeBehindBacklog", stats.writeBehindBacklog());
        row.put("storeFailures", stats.storeFailures());
        Instant lastCleanup = stats.lastCleanup();
        row.put("lastCleanup", lastCleanup == null ? null : lastCleanup.toString());
        return row;
    }

    /** A user's project to warm: the user's id (from the identity provider) and the project's file ids. */
    record UserProject(String userId, List<String> ids) {}

    /**
     * Loads a user's stems of these files into the cluster (from PostgreSQL) and this node's near cache before the
     * user opens the project, e.g. ahead of a session. Users only: a guest's owner id is its session's credential,
     * which never reaches an admin. Answers how many files were named and how many stems were found.
     */
    @PostMapping("/api/v1/admin/files/warm")
    Map<String, Object> warm(@RequestBody(required = false) UserProject body) {
        if (body == null || body.userId() == null || body.userId().isBlank()) {
            throw Problems.badRequest("$.userId", "$.userId must name the user (a UUID) whose project to warm");
        }
        UUID user = AnalysisController.fileId(body.userId().trim(), "$.userId", "$.userId");
        Set<UUID> files = FilesController.fileIds(body.ids(), "$.ids");
        int found = cache.warmProject(Owner.user(user), files);
        LOG.info("Admin warmed {} files of a user: {} stems found", files.size(), found);
        return Map.of("files", files.size(), "stems", found);
    }

    /** For any signed-in caller; the same cluster-wide figures for now. */
    @GetMapping("/api/v1/stats")
    CacheStats stats() {
        return cache.getCacheStats();
    }
}
