/** The standalone migration command: applies the Liquibase changelogs, then exits. */
package io.stemcache.node.migrate;
