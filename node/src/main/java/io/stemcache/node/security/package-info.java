/**
 * Who may call what on a member's management port: probes, scrapes and the cache's status for anyone the
 * network lets through, write operations and health details for the operator only.
 */
package io.stemcache.node.security;
