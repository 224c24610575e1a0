package org.layerlift.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LayerLift layer store",
        description = "Where and how much of the clients' model weights the gateway keeps: a disk budget with LRU"
                + " eviction, a quota per client, resumable chunked uploads")
@interface StoreConfig {

    @AttributeDefinition(description = "The store's directory; relative to the gateway's working directory")
    String dir() default "data/store";

    @AttributeDefinition(description = "Bytes of complete units plus reserved partial uploads the store may hold;"
            + " least recently used unpinned units are evicted to stay below", min = "1")
    long budget_bytes() default 8L << 30;

    @AttributeDefinition(description = "Bytes one client's partial uploads and completed units may hold", min = "1")
    long quota_bytes() default 2L << 30;

    @AttributeDefinition(description = "Free disk the store never writes below", min = "0")
    long min_free_disk_bytes() default 256L << 20;

    @AttributeDefinition(description = "The largest unit accepted", min = "1", max = "2147483647")
    long max_unit_bytes() default 1L << 30;

    @AttributeDefinition(description = "The largest chunk size accepted", min = "1")
    int max_chunk_bytes() default 8 << 20;

    @AttributeDefinition(description = "Uploads in progress one client may have", min = "1")
    int max_partials_per_owner() default 64;

    @AttributeDefinition(description = "Seconds after its last chunk an unpinned partial upload is discarded",
            min = "1")
    long partial_expiry_s() default 86400;
}
