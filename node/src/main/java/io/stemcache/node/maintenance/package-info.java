/**
 * A member's upkeep of the PostgreSQL record: coalesced access tracking, invalidation and owner lookups
 * for the operations clients send ({@link io.stemcache.core.ops.MemberServices}), the scheduled cleanup
 * (expired rows, old cache versions, the total cap, guest quotas) that one member runs at a time, and
 * the operator's {@code /actuator/stemcache} endpoint.
 */
package io.stemcache.node.maintenance;
