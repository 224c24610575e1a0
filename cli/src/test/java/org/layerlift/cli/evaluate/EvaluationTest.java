package org.layerlift.cli.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.cli.offload.OffloadReport;

class EvaluationTest {

    private static OffloadReport report(String strategy, double real, double predicted, int mismatches) {
        OffloadReport.Summary s = new OffloadReport.Summary("m", "tcp://x", "c", "s", strategy, strategy, 1, 40,
                "device", "back-to-back", 0, real, predicted, real / 2, 100.0, 5000.0, 4800.0, 10, 10, 0, 3, 0, 0,
                12, 10, 8, 0, mismatches, "done");
        return new OffloadReport(s, List.of(), List.of(), List.of(), List.of());
    }

    private static Evaluation.Run run(String strategy, double real, double predicted) {
        return new Evaluation.Run("m", 40, strategy, "phone", 10, report(strategy, real, predicted, 0), null);
    }

    @Test
    void ratioAndToleranceOfEachRun() {
        Evaluation.Row r = Evaluation.row(run("ionn", 110, 100));
        assertEquals(1.10, r.ratio(), 1e-9);
        assertTrue(r.withinTolerance());
        assertFalse(Evaluation.row(run("ionn", 111, 100)).withinTolerance());
        assertFalse(Evaluation.row(run("ionn", 89, 100)).withinTolerance());
    }

    @Test
    void aFailedRunHasARowWithItsErrorAndNoRanking() {
        Evaluation.Results res = Evaluation.evaluate(List.of(run("ionn", 100, 100),
                new Evaluation.Run("m", 40, "frontier", "phone", 10, null, "gateway gone")));
        assertEquals(2, res.rows().size());
        assertNull(res.rows().get(1).realMs());
        assertEquals("gateway gone", res.rows().get(1).error());
        assertTrue(res.rankings().isEmpty(), "one usable run ranks nothing");
        assertTrue(Evaluation.markdown(res).contains("failed: gateway gone"));
    }

    @Test
    void onlyPairsTheSimulatorSeparatesByMoreThanFivePercentMustAgree() {
        // predicted: frontier 100 < efficiency 103 (within 5 %: not checked) < ionn 150
        // real: efficiency 101 < frontier 104 < ionn 140: the separated pairs agree
        Evaluation.Ranking k = Evaluation.evaluate(List.of(run("ionn", 140, 150), run("efficiency", 101, 103),
                run("frontier", 104, 100))).rankings().get(0);
        assertEquals(List.of("frontier", "efficiency", "ionn"), k.predictedOrder());
        assertEquals(List.of("efficiency", "frontier", "ionn"), k.realOrder());
        assertEquals(List.of("efficiency < ionn", "frontier < ionn"), k.separatedPairs());
        assertTrue(k.matches());
        assertEquals(1 - 104 / 140.0, k.gainReal().get("frontier"), 1e-9);
        assertEquals(1 - 100 / 150.0, k.gainPredicted().get("frontier"), 1e-9);
    }

    @Test
    void aSeparatedPairInTheWrongRealOrderIsAMismatch() {
        Evaluation.Ranking k = Evaluation.evaluate(List.of(run("ionn", 100, 150), run("frontier", 120, 100)))
                .rankings().get(0);
        assertFalse(k.matches());
        assertTrue(Evaluation.markdown(Evaluation.evaluate(List.of(run("ionn", 100, 150), run("frontier", 120, 100))))
                .contains("**no** (0 of 1)"));
    }

    @Test
    void groupsAreModelBandwidthAndDevice() {
        Evaluation.Results res = Evaluation.evaluate(List.of(run("ionn", 100, 100), run("frontier", 90, 90),
                new Evaluation.Run("m", 160, "ionn", "phone", 10, report("ionn", 80, 80, 0), null),
                new Evaluation.Run("m", 160, "frontier", "phone", 10, report("frontier", 70, 70, 0), null)));
        assertEquals(2, res.rankings().size());
        assertEquals(160, res.rankings().get(1).mbps());
    }

    private static Evaluation.Run repeat(String strategy, double real, double predicted, int k) {
        return new Evaluation.Run("m", 160, strategy, "phone", 10, report(strategy, real, predicted, 0), null, k);
    }

    @Test
    void theRepeatsOfACaseMakeOneRowOfMeans() {
        // three short uploads: 1.3x, 0.9x, 1.1x on their own; their means 110 against 100
        Evaluation.Results res = Evaluation.evaluate(List.of(repeat("ionn", 130, 100, 1), repeat("frontier", 60, 60, 1),
                repeat("ionn", 90, 100, 2), repeat("frontier", 66, 60, 2), repeat("ionn", 110, 100, 3),
                new Evaluation.Run("m", 160, "frontier", "phone", 10, null, "gateway gone", 3)));
        assertEquals(3, res.rows().size(), "ionn, frontier, and the failed run");
        Evaluation.Row ionn = res.rows().get(0);
        assertEquals(3, ionn.runs());
        assertEquals(110, ionn.realMs(), 1e-9);
        assertEquals(100, ionn.predictedMs(), 1e-9);
        assertEquals(1.10, ionn.ratio(), 1e-9);
        assertTrue(ionn.withinTolerance());
        assertEquals(List.of(1.3, 0.9, 1.1), ionn.runRatios());
        assertEquals(30, ionn.queriesDuringUpload(), "counts are summed");
        Evaluation.Row frontier = res.rows().get(1);
        assertEquals(2, frontier.runs());
        assertEquals(63, frontier.realMs(), 1e-9);
        assertEquals("gateway gone", res.rows().get(2).error());
        Evaluation.Ranking k = res.rankings().get(0);
        assertEquals(List.of("frontier", "ionn"), k.realOrder());
        String md = Evaluation.markdown(res);
        assertTrue(md.contains("| 1.100 (0.90–1.30) |"), md);
        assertTrue(md.contains("3 cases (6 runs)"), md);
    }

    @Test
    void aCaseMeasuredAgainReplacesEveryEarlierRunOfIt() {
        List<Evaluation.Run> earlier = List.of(repeat("ionn", 100, 100, 1), repeat("frontier", 60, 60, 1),
                repeat("frontier", 62, 60, 2), repeat("frontier", 64, 60, 3), repeat("efficiency", 80, 80, 1));
        List<Evaluation.Run> merged = EvaluateCommand.merge(earlier, List.of(repeat("frontier", 70, 60, 1),
                repeat("frontier", 72, 60, 2), repeat("other", 90, 90, 1)));
        assertEquals(List.of("ionn", "frontier", "frontier", "efficiency", "other"), merged.stream()
                .map(Evaluation.Run::strategy).toList());
        assertEquals(70, merged.get(1).report().summary().meanLatencyDuringUploadMs(), 1e-9);
        assertEquals(2, merged.get(2).repeat());
        assertEquals("m_160_frontier_r2", EvaluateCommand.tag("m", 160, "frontier", "phone", 2));
        assertEquals("m_160_frontier_profile", EvaluateCommand.tag("m", 160, "frontier", "profile p.json", 1));
    }

    @Test
    void theGeneratedSectionReplacesOnlyItsOwnText() {
        String doc = "# title\nprose\n" + GeneratedSection.BEGIN + "\nold\n" + GeneratedSection.END + "\nafter\n";
        String out = GeneratedSection.replace(doc, "new table\n");
        assertEquals("# title\nprose\n" + GeneratedSection.BEGIN + "\nnew table\n" + GeneratedSection.END
                + "\nafter\n", out);
        assertTrue(GeneratedSection.replace("# only prose\n", "t").endsWith(GeneratedSection.END + "\n"));
        assertTrue(GeneratedSection.replace("# only prose\n", "t").startsWith("# only prose\n"));
        assertEquals(GeneratedSection.BEGIN + "\nt\n" + GeneratedSection.END + "\n", GeneratedSection.replace(null,
                "t"));
    }

    @Test
    void thePredictionOverTheRealUploadGoesOnAtTheFinalLatency() {
        List<OffloadReport.PredictedQuery> p = List.of(new OffloadReport.PredictedQuery(0, 1000, -1),
                new OffloadReport.PredictedQuery(1000, 200, 0));
        // the real upload ended at 500: only the first query
        assertEquals(1000, Evaluation.predictedMeanBefore(p, 500), 1e-9);
        // at 1500: 0, 1000, 1200, 1400 -> (1000 + 3 * 200) / 4
        assertEquals(400, Evaluation.predictedMeanBefore(p, 1500), 1e-9);
        assertNull(Evaluation.predictedMeanBefore(List.of(), 1500));
    }
}
