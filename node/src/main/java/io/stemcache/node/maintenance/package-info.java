/**
 * A member's upkeep of the PostgreSQL record: coalesced access tracking, invalidation and owner lookups
 * for the operations clients send ({@link io.stemcache.core.ops.MemberServices}), the scheduled cleanup
 * (expired rows, old cache versions, the total cap, guest quotas) that one member runs at a time, and
 * the operator's {@code /actuator/stemcache} endpoint. The scheduling, the steps and the counts are here; the
 * statements are map-store's ({@link io.stemcache.mapstore.AnalysisRows}).
 */
package io.stemcache.node.maintenance;
