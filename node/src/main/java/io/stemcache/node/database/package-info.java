/**
 * The database before the schema, shared by the member and the {@code migrate} command: the database of
 * {@code spring.datasource.url} created when it is missing ({@link io.stemcache.node.database.DatabaseBootstrap}),
 * and that URL as it may be logged ({@link io.stemcache.node.database.JdbcUrl}). It depends on neither
 * {@code io.stemcache.node} nor {@code io.stemcache.migration}, so the two do not depend on each other through it.
 */
package io.stemcache.node.database;
