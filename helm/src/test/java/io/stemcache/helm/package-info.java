/**
 * Tests of the Helm chart in {@code helm/stemcache}: a real {@code helm} lints and renders it with several
 * value sets, and the tests read the rendered objects, the rejected values and the node's Dockerfile.
 */
package io.stemcache.helm;
