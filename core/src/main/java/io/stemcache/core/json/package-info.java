/** Reading and writing the product's analysis JSON, bit-exact for every number. */
package io.stemcache.core.json;
