/**
 * The member's health as Kubernetes and operators read it: the readiness group (the member can serve its
 * share of the map), the liveness group (the member is running), and the {@code database} component, which
 * reports a PostgreSQL outage as {@code DEGRADED} without failing either probe.
 */
package io.stemcache.node.health;
