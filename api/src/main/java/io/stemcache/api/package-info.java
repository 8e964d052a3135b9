/**
 * The HTTP API node: versioned endpoints under {@code /api/v1} for the caller's analyses (owner from the
 * verified JWT), guest sessions, admin operations, RFC 9457 problems, CORS and readiness.
 */
package io.stemcache.api;
