package org.layerlift.simulator;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.strategy.efficiency.EfficiencyStrategy;
import org.layerlift.strategy.ionn.IonnStrategy;

/** IONN and the efficiency plan against every row and partition sequence of shared/profiles/REFERENCE.md. */
class ReferenceReproductionTest {

    /** One row of the table and its two partition sequences, copied from REFERENCE.md. */
    record Row(String model, double mbps, double ionnMean, double efficiencyMean, int ionnQueries,
            int efficiencyQueries, double ionnFirst, double efficiencyFirst, double ionnDoneS, double efficiencyDoneS,
            double commonWindowDeltaPercent, String ionn, String efficiency) {

        @Override
        public String toString() {
            return model + " @ " + mbps + " Mbps";
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                new Row("alexnet", 10, 684.9, 591.4, 285, 330, 822, 6721, 195.05, 194.98, -13.7,
                        "conv2..pool5 [9.20 MB, 7.36 s]; fc6..fc8 [234.52 MB, 195.05 s]",
                        "conv3..pool5 [7.97 MB, 6.38 s]; conv2..pool2 [1.23 MB, 7.36 s]; fc6 [151.01 MB, 128.21 s]; "
                                + "fc7 [67.13 MB, 181.89 s]; fc8 [16.39 MB, 194.98 s]"),
                new Row("alexnet", 20, 561.5, 454.4, 174, 215, 822, 2101, 97.56, 97.49, -19.1,
                        "conv2..pool5 [9.20 MB, 3.69 s]; fc6..fc8 [234.52 MB, 97.56 s]",
                        "conv4..pool5 [4.43 MB, 1.77 s]; conv3 [3.54 MB, 3.19 s]; conv2..pool2 [1.23 MB, 3.68 s]; "
                                + "fc6 [151.01 MB, 64.13 s]; fc7 [67.13 MB, 90.95 s]; fc8 [16.39 MB, 97.49 s]"),
                new Row("alexnet", 40, 452.6, 330.6, 108, 148, 822, 816, 48.85, 48.78, -27.0,
                        "conv1..pool2 [1.37 MB, 0.28 s]; conv3..pool5 [7.97 MB, 1.87 s]; fc6..fc8 [234.52 MB, 48.85 s]",
                        "conv2..pool2 [1.23 MB, 0.25 s]; conv1..pool1 [0.14 MB, 0.27 s]; conv3 [3.54 MB, 0.98 s]; "
                                + "conv4 [2.66 MB, 1.52 s]; conv5..pool5 [1.77 MB, 1.87 s]; fc6 [151.01 MB, 32.12 s]; "
                                + "fc7 [67.13 MB, 45.52 s]; fc8 [16.39 MB, 48.78 s]"),
                new Row("alexnet", 80, 389.8, 254.5, 63, 96, 822, 691, 24.46, 24.39, -35.2,
                        "conv1..pool2 [1.37 MB, 0.14 s]; conv3..pool5 [7.97 MB, 0.94 s]; fc6..fc8 [234.52 MB, 24.46 s]",
                        "conv1..pool2 [1.37 MB, 0.14 s]; conv3 [3.54 MB, 0.49 s]; conv4 [2.66 MB, 0.76 s]; "
                                + "conv5..pool5 [1.77 MB, 0.94 s]; fc6 [151.01 MB, 16.08 s]; fc7 [67.13 MB, 22.77 s]; "
                                + "fc8 [16.39 MB, 24.39 s]"),
                new Row("alexnet", 160, 359.8, 207.1, 35, 59, 822, 614, 12.27, 12.20, -44.0,
                        "conv1..pool2 [1.37 MB, 0.07 s]; conv3..pool5 [7.97 MB, 0.47 s]; fc6..fc8 [234.52 MB, 12.27 s]",
                        "conv1..pool2 [1.37 MB, 0.07 s]; conv3 [3.54 MB, 0.25 s]; conv4 [2.66 MB, 0.38 s]; "
                                + "conv5..pool5 [1.77 MB, 0.47 s]; fc6 [151.01 MB, 8.06 s]; fc7 [67.13 MB, 11.40 s]; "
                                + "fc8 [16.39 MB, 12.20 s]"),
                new Row("googlenet", 10, 876.3, 870.7, 26, 26, 1340, 3002, 22.40, 22.40, -0.6,
                        "conv1/7x7_s2..pool4/3x3_s2 [13.94 MB, 11.20 s]; inception_5a/output..pool5/7x7_s1 "
                                + "[9.95 MB, 19.13 s]; loss3/classifier [4.10 MB, 22.40 s]",
                        "conv1/7x7_s2..pool3/3x3_s2 [2.71 MB, 2.18 s]; inception_4a/output [1.50 MB, 3.38 s]; "
                                + "inception_4b/output [1.80 MB, 4.81 s]; inception_4c/output [2.04 MB, 6.45 s]; "
                                + "inception_4d/output [2.42 MB, 8.38 s]; inception_4e/output..pool4/3x3_s2 "
                                + "[3.47 MB, 11.16 s]; inception_5a/output [4.17 MB, 14.50 s]; "
                                + "inception_5b/output..pool5/7x7_s1 [5.78 MB, 19.12 s]; loss3/classifier [4.10 MB, 22.40 s]"),
                new Row("googlenet", 20, 520.4, 497.1, 22, 23, 1340, 1745, 11.20, 11.20, -4.5,
                        "conv1/7x7_s2..pool3/3x3_s2 [2.71 MB, 1.10 s]; inception_4a/output..pool4/3x3_s2 "
                                + "[11.24 MB, 5.61 s]; inception_5a/output..pool5/7x7_s1 [9.95 MB, 9.57 s]; "
                                + "loss3/classifier [4.10 MB, 11.20 s]",
                        "conv2/3x3..pool3/3x3_s2 [2.65 MB, 1.07 s]; pool1/norm1..conv2/3x3_reduce [0.02 MB, 1.07 s]; "
                                + "conv1/7x7_s2..pool1/3x3_s2 [0.04 MB, 1.08 s]; inception_4a/output [1.50 MB, 1.69 s]; "
                                + "inception_4b/output [1.80 MB, 2.41 s]; inception_4c/output [2.04 MB, 3.23 s]; "
                                + "inception_4d/output [2.42 MB, 4.19 s]; inception_4e/output..pool4/3x3_s2 "
                                + "[3.47 MB, 5.58 s]; inception_5a/output [4.17 MB, 7.25 s]; "
                                + "inception_5b/output..pool5/7x7_s1 [5.78 MB, 9.57 s]; loss3/classifier [4.10 MB, 11.20 s]"),
                new Row("googlenet", 40, 374.4, 315.2, 15, 18, 1340, 1073, 5.60, 5.60, -15.8,
                        "conv1/7x7_s2..pool2/3x3_s2 [0.50 MB, 0.10 s]; inception_3a/output..pool3/3x3_s2 "
                                + "[2.21 MB, 0.55 s]; inception_4a/output..pool4/3x3_s2 [11.24 MB, 2.82 s]; "
                                + "inception_5a/output..pool5/7x7_s1 [9.95 MB, 4.79 s]; loss3/classifier [4.10 MB, 5.60 s]",
                        "conv1/7x7_s2..pool2/3x3_s2 [0.50 MB, 0.10 s]; inception_3a/output [0.65 MB, 0.24 s]; "
                                + "inception_3b/output..pool3/3x3_s2 [1.55 MB, 0.55 s]; inception_4a/output [1.50 MB, 0.85 s]; "
                                + "inception_4b/output [1.80 MB, 1.21 s]; inception_4c/output [2.04 MB, 1.62 s]; "
                                + "inception_4d/output [2.42 MB, 2.10 s]; inception_4e/output..pool4/3x3_s2 "
                                + "[3.47 MB, 2.80 s]; inception_5a/output [4.17 MB, 3.63 s]; "
                                + "inception_5b/output..pool5/7x7_s1 [5.78 MB, 4.79 s]; loss3/classifier [4.10 MB, 5.60 s]"),
                new Row("googlenet", 80, 312.8, 203.9, 9, 14, 1340, 844, 2.80, 2.80, -34.8,
                        "conv1/7x7_s2..pool3/3x3_s2 [2.71 MB, 0.29 s]; inception_4a/output..pool4/3x3_s2 "
                                + "[11.24 MB, 1.43 s]; inception_5a/output..pool5/7x7_s1 [9.95 MB, 2.40 s]; "
                                + "loss3/classifier [4.10 MB, 2.80 s]",
                        "conv1/7x7_s2..pool3/3x3_s2 [2.71 MB, 0.29 s]; inception_4a/output [1.50 MB, 0.43 s]; "
                                + "inception_4b/output [1.80 MB, 0.61 s]; inception_4c/output [2.04 MB, 0.81 s]; "
                                + "inception_4d/output [2.42 MB, 1.05 s]; inception_4e/output..pool4/3x3_s2 "
                                + "[3.47 MB, 1.40 s]; inception_5a/output [4.17 MB, 1.82 s]; "
                                + "inception_5b/output..pool5/7x7_s1 [5.78 MB, 2.40 s]; loss3/classifier [4.10 MB, 2.80 s]"),
                new Row("googlenet", 160, 474.6, 178.3, 3, 8, 1340, 689, 1.40, 1.40, -62.4,
                        "conv1/7x7_s2..pool3/3x3_s2 [2.71 MB, 0.15 s]; inception_4a/output..pool4/3x3_s2 "
                                + "[11.24 MB, 0.73 s]; inception_5a/output..pool5/7x7_s1 [9.95 MB, 1.21 s]; "
                                + "loss3/classifier [4.10 MB, 1.40 s]",
                        "conv1/7x7_s2..pool3/3x3_s2 [2.71 MB, 0.15 s]; inception_4a/output [1.50 MB, 0.22 s]; "
                                + "inception_4b/output [1.80 MB, 0.31 s]; inception_4c/output [2.04 MB, 0.41 s]; "
                                + "inception_4d/output [2.42 MB, 0.53 s]; inception_4e/output..pool4/3x3_s2 "
                                + "[3.47 MB, 0.70 s]; inception_5a/output [4.17 MB, 0.91 s]; "
                                + "inception_5b/output..pool5/7x7_s1 [5.78 MB, 1.20 s]; loss3/classifier [4.10 MB, 1.40 s]"))
                .map(Arguments::of);
    }

    private static final Pattern PARTITION = Pattern.compile("(.+?) \\[([0-9.]+) MB, ([0-9.]+) s\\]");

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reproducesTheReference(Row row) {
        CostProfile profile = Profiles.load(row.model());
        PlanRequest request = new PlanRequest(profile, row.mbps(), Set.of());
        UploadPlan ionn = new IonnStrategy().plan(request);
        UploadPlan efficiency = new EfficiencyStrategy().plan(request);
        List<SimulationResult> results = Simulator.compare(profile, List.of(ionn, efficiency), row.mbps(),
                SimulationOptions.reference());
        SimulationResult i = results.get(0);
        SimulationResult e = results.get(1);
        double delta = 100 * (e.meanLatencyCommonWindowMs() / i.meanLatencyCommonWindowMs() - 1);
        assertAll(
                () -> assertPartitions(profile, row.ionn(), i, "IONN"),
                () -> assertPartitions(profile, row.efficiency(), e, "efficiency"),
                () -> assertEquals(row.ionnMean(), i.meanLatencyDuringUploadMs(), row.ionnMean() * 0.005, "IONN mean"),
                () -> assertEquals(row.efficiencyMean(), e.meanLatencyDuringUploadMs(), row.efficiencyMean() * 0.005,
                        "efficiency mean"),
                () -> assertEquals(row.ionnQueries(), i.queriesDuringUpload(), "IONN queries during upload"),
                () -> assertEquals(row.efficiencyQueries(), e.queriesDuringUpload(), "efficiency queries"),
                () -> assertEquals(row.ionnFirst(), i.firstQueryLatencyMs(), 0.5 + 1e-9, "IONN first query"),
                () -> assertEquals(row.efficiencyFirst(), e.firstQueryLatencyMs(), 0.5 + 1e-9,
                        "efficiency first query"),
                () -> assertEquals(row.ionnDoneS(), i.uploadDoneMs() / 1000, 0.005 + 1e-9, "IONN upload done"),
                () -> assertEquals(row.efficiencyDoneS(), e.uploadDoneMs() / 1000, 0.005 + 1e-9,
                        "efficiency upload done"),
                () -> assertEquals(row.commonWindowDeltaPercent(), delta, 0.05 + 1e-9, "delta over the common window"));
    }

    private static void assertPartitions(CostProfile profile, String expected, SimulationResult result, String who) {
        List<String> expectedRanges = new ArrayList<>();
        List<double[]> expectedNumbers = new ArrayList<>();
        for (String part : expected.split("; ")) {
            Matcher m = PARTITION.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad reference partition: " + part);
            }
            expectedRanges.add(m.group(1));
            expectedNumbers.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        }
        List<String> actualRanges = result.partitions().stream()
                .map(p -> ReferenceLabels.unitRange(profile, p.units())).toList();
        assertEquals(expectedRanges, actualRanges, who + " partition sequence");
        for (int j = 0; j < expectedNumbers.size(); j++) {
            PartitionTiming partition = result.partitions().get(j);
            assertEquals(expectedNumbers.get(j)[0], partition.bytes() / 1e6, 0.005 + 1e-9, who + " MB of " + j);
            assertEquals(expectedNumbers.get(j)[1], partition.readyMs() / 1000, 0.005 + 1e-9, who + " ready of " + j);
        }
    }
}
