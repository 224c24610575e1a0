package org.layerlift.simulator;

import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Segment;

/**
 * How long a query takes along an execution plan: client units run locally; a server segment sends its input,
 * starts once both the input and the segment's weights are there, runs, and returns its output. With every weight
 * already loaded this is the plan's path length at penalty 0, plus the input and output layers' client time.
 */
final class QueryTiming {

    private final List<UnitCost> units;
    private final double clientOnlyMs;
    private final double bytesPerMs;
    private final Link link;
    private final double hopOverheadMs;
    private final double uploadWaitMs;

    QueryTiming(CostProfile profile, double bytesPerMs, Link link) {
        this(profile, bytesPerMs, link, 0, 0);
    }

    QueryTiming(CostProfile profile, double bytesPerMs, Link link, double hopOverheadMs, double uploadWaitMs) {
        this.units = profile.units();
        this.clientOnlyMs = profile.clientOnlyMs();
        this.bytesPerMs = bytesPerMs;
        this.link = link;
        this.hopOverheadMs = hopOverheadMs;
        this.uploadWaitMs = uploadWaitMs;
    }

    double localMs() {
        double total = clientOnlyMs;
        for (UnitCost unit : units) {
            total += unit.clientMs();
        }
        return total;
    }

    double latencyMs(List<Segment> serverSegments, double startMs) {
        double time = startMs + clientOnlyMs;
        int next = 0;
        for (Segment segment : serverSegments) {
            for (; next < segment.first(); next++) {
                time += units.get(next).clientMs();
            }
            time += hopOverheadMs;
            if (uploadWaitMs > 0 && link.uploadingAt(time)) {
                time += uploadWaitMs;
            }
            double sent = time + units.get(segment.first()).inputBytes() / bytesPerMs;
            link.activation(time, sent);
            time = sent;
            double weightsReady = 0;
            for (int unit = segment.first(); unit <= segment.last(); unit++) {
                weightsReady = Math.max(weightsReady, link.unitReadyMs(unit));
            }
            time = Math.max(time, weightsReady);
            for (; next <= segment.last(); next++) {
                time += units.get(next).serverMs();
            }
            double returned = time + units.get(segment.last()).outputBytes() / bytesPerMs;
            link.activation(time, returned);
            time = returned;
        }
        for (; next < units.size(); next++) {
            time += units.get(next).clientMs();
        }
        return time - startMs;
    }
}
