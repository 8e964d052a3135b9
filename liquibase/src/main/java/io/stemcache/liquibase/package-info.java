/**
 * The stemcache schema: Liquibase changelogs under {@code db/changelog/} and
 * {@link io.stemcache.liquibase.SchemaMigrations}, which applies them without Spring.
 */
package io.stemcache.liquibase;
