/**
 * Regressions: tests that pin a specific past bug (raised by a review item or seen in a failed run), not a feature's
 * specification. Each class's Javadoc tells its story: what went wrong, how it showed, and what fixed it (the commit).
 * Regression tests that need package-private classes of core (the codec's bomb test) stay beside them.
 */
package io.stemcache.core.issues;
