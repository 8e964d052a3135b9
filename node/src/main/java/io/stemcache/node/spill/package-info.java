/**
 * What a member does with its write-behind queue when it stops while PostgreSQL is unreachable: the
 * entries Hazelcast still holds when the member leaves (the last members of a cluster: nobody to migrate
 * them to) are written to a spill file, and a member that starts on the same directory stores them in
 * PostgreSQL before it joins.
 */
package io.stemcache.node.spill;
