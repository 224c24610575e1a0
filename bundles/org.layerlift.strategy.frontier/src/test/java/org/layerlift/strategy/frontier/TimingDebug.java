package org.layerlift.strategy.frontier;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import org.layerlift.api.partition.PlanRequest;

/** Planning time of a 1000-unit chain in thread CPU time (the build machine is shared, wall time is noisy). */
public final class TimingDebug {

    private TimingDebug() {
    }

    public static void main(String[] args) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        PlanRequest request = new PlanRequest(FrontierStrategyTest.randomChain(42, 1000), 40, Set.of());
        Chain chain = new Chain(request.profile(), 40, Set.of());
        for (int rep = 0; rep < 8; rep++) {
            long c0 = bean.getCurrentThreadCpuTime();
            int[] h = Orders.hull(chain);
            long c1 = bean.getCurrentThreadCpuTime();
            int[] p = Orders.penaltySweep(chain, 0.8);
            long c2 = bean.getCurrentThreadCpuTime();
            new Evaluator(chain, 1e6).evaluate(h);
            long c3 = bean.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            new FrontierStrategy().plan(request);
            long w1 = System.nanoTime();
            long c4 = bean.getCurrentThreadCpuTime();
            System.out.printf("cpu: hull %.1f sweep %.1f eval %.1f plan %.1f ms (wall %.1f)%n", (c1 - c0) / 1e6,
                    (c2 - c1) / 1e6, (c3 - c2) / 1e6, (c4 - c3) / 1e6, (w1 - w0) / 1e6);
        }
    }
}
