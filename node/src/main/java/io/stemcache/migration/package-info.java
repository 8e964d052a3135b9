/** The standalone migration command: applies the Liquibase changelogs, then exits. It lives outside
 * {@code io.stemcache.node} so the member's component scan does not pick up its exclusions. */
package io.stemcache.migration;
