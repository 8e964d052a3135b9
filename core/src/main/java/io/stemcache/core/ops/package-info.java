/** Operations that clients send to members (entry processors), with their Compact serializers. */
package io.stemcache.core.ops;
