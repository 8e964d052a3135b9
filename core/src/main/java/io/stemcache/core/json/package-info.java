/**
 * Reads and writes the product's analysis JSON (and its two legacy {@code jsonb} column shapes) with
 * Jackson streaming, keeping every number bit-exact.
 */
package io.stemcache.core.json;
