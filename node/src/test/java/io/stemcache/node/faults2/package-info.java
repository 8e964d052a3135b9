/** Fault tests of the cluster as clients see it: client churn and near-cache staleness, split brain. */
package io.stemcache.node.faults2;
