package org.layerlift.api.partition;

/** What a query raised before the first partition is ready does. */
public enum EarlyQueryPolicy {
    /** Run entirely on the client (IONN). */
    LOCAL,
    /** Use the first partition's plan and wait on the server until it is ready (the seed paper's driver). */
    WAIT_FOR_FIRST,
    /** Choose per query from the partitions' arrival estimates: wait only when that beats running locally. */
    ROUTE_BY_ETA
}
