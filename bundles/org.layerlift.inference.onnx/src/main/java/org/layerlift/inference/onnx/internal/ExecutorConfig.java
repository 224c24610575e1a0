package org.layerlift.inference.onnx.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the segment executor, PID {@value OnnxSegmentExecutor#PID}. */
@ObjectClassDefinition(name = "LayerLift segment executor",
        description = "Runs server segments with ONNX Runtime: worker pool, run queue, per-run timeout, session cache")
@interface ExecutorConfig {

    @AttributeDefinition(description = "Worker threads running segments; 0: min(2, available processors)",
            min = "0", max = "256")
    int workers() default 0;

    @AttributeDefinition(description = "Runs that may wait for a worker; more are refused at once (OVERLOADED)",
            min = "1", max = "65536")
    int queue() default ExecutorSettings.DEFAULT_QUEUE;

    @AttributeDefinition(description = "Milliseconds a run may take from submission (queue wait included) before "
            + "it is cancelled (TIMEOUT)", min = "1")
    long timeout_ms() default ExecutorSettings.DEFAULT_TIMEOUT_MS;

    @AttributeDefinition(description = "Weight bytes of the ONNX Runtime sessions kept built; the least recently "
            + "used go first and are rebuilt from their spec when run again", min = "0")
    long cache_bytes() default ExecutorSettings.DEFAULT_CACHE_BYTES;

    @AttributeDefinition(description = "ONNX Runtime intra-op threads per session (the pool gives parallelism "
            + "across runs)", min = "1", max = "256")
    int intra_op_threads() default 1;

    @AttributeDefinition(description = "Segments that may be registered at once", min = "1")
    int max_segments() default ExecutorSettings.DEFAULT_MAX_SEGMENTS;

    @AttributeDefinition(description = "With a worker free, run a segment on the thread that asked for it (one thread "
            + "hand-off less per query hop); the number of runs at once stays bounded by workers")
    boolean caller_runs() default true;
}
