package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void padsColumnsToTheWidestCell() {
        TextTable table = new TextTable().column("name", false).column("ms", true);
        table.row("efficiency", "1.5");
        table.row("ionn", "1234.5");
        String nl = System.lineSeparator();
        assertEquals("name            ms" + nl + "efficiency     1.5" + nl + "ionn        1234.5" + nl, table.render());
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        TextTable table = new TextTable().column("a", false).column("b", true);
        assertThrows(IllegalStateException.class, () -> table.row("only one"));
    }

    @Test
    void bandwidthsReadAsWritten() {
        assertEquals("10", ResultTable.mbps(10));
        assertEquals("2.5", ResultTable.mbps(2.5));
        assertEquals("0.125", ResultTable.mbps(0.125));
    }
}
