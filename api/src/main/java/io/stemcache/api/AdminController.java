package io.stemcache.api;

import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CacheStats;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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

    /** For any signed-in caller; the same cluster-wide figures for now. */
    @GetMapping("/api/v1/stats")
    CacheStats stats() {
        return cache.getCacheStats();
    }
}
