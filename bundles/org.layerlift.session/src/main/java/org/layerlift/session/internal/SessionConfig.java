package org.layerlift.session.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "LayerLift sessions",
        description = "Serving mobile clients: sessions, plans, uploads into the layer store, query hops")
@interface SessionConfig {

    @AttributeDefinition(description = "Folder for sessions, model graphs and server-cost measurements "
            + "(relative: to the working directory)")
    String data_dir() default "data/serving";

    @AttributeDefinition(description = "Seconds without any message after which a session expires", min = "1")
    long idle_expiry_s() default 3600;

    @AttributeDefinition(description = "Sessions on the gateway, at most", min = "1")
    int max_sessions() default 1024;

    @AttributeDefinition(description = "Sessions of one client, at most", min = "1")
    int max_sessions_per_client() default 8;

    @AttributeDefinition(description = "Chunk size the plans announce, bytes (2 MiB: the measured goodput knee, "
            + "docs/serving.md)", min = "1024", max = "67108864")
    int chunk_bytes() default 2 * 1024 * 1024;

    @AttributeDefinition(description = "Measured runs when the gateway profiles a new model's server costs",
            min = "1", max = "1000")
    int profile_runs() default 3;

    @AttributeDefinition(description = "ONNX Runtime intra-op threads for that profiling (0: all cores)",
            min = "0", max = "256")
    int profile_threads() default 1;

    @AttributeDefinition(description = "Milliseconds between checks whether the installed strategies changed",
            min = "50")
    long strategy_poll_ms() default 500;
}
