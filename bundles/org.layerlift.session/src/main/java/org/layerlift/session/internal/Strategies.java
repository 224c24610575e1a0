package org.layerlift.session.internal;

import java.util.SortedSet;
import org.layerlift.api.partition.PartitionStrategy;

/** The partition strategies installed now, by name. */
interface Strategies {

    SortedSet<String> names();

    /** The strategy of that name, or null. */
    PartitionStrategy get(String name);
}
