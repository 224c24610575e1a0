package org.layerlift.model.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * What a JSON syntax error in a profile says: the problem in words and where it is, without the parser's internals
 * (source descriptions, {@code StreamReadFeature} names, start-marker locations).
 */
final class JsonErrors {

    private JsonErrors() {
    }

    /** {@code "not valid JSON: <what> (line L, column C)"}. */
    static String notValidJson(JsonProcessingException e) {
        String what;
        if (e instanceof JsonEOFException) {
            what = "it ends in the middle";
        } else {
            String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            int newline = original.indexOf('\n');
            what = (newline < 0 ? original : original.substring(0, newline))
                    .replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                    .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
                    .trim();
            if (what.isEmpty()) {
                what = "a syntax error";
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " (line " + at.getLineNr() + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr()) + ")";
        return "not valid JSON: " + what + where;
    }
}
