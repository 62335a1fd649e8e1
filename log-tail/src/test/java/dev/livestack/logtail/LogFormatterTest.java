package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatterTest {
    private static final String GROUP = "/aws/lambda/Shop-Worker-abc";
    private static final String STREAM = "2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef";
    private static final Instant T = Instant.parse("2026-11-21T10:15:30.123Z");
    private static final String RID = "8f2c1d3e-aaaa-bbbb-cccc-0123456789ab";

    private final LogFormatter plain = new LogFormatter(Map.of(GROUP, "Worker"), false, false, ZoneOffset.ofHours(1));

    private static LogLine line(String message) {
        return new LogLine(GROUP, STREAM, T, message, null, null);
    }

    @Test
    void aPlainLineHasLabelLocalTimeAndMessage() {
        assertEquals(List.of("Worker 11:15:30.123 hello world"), plain.format(line("hello world\n")));
    }

    @Test
    void startAndEndFoldIntoTheRequestLineWithTheReportCondensed() {
        assertEquals(List.of(), plain.format(line("START RequestId: " + RID + " Version: $LATEST\n")));
        assertEquals(List.of("Worker 11:15:30.123 doing work"), plain.format(line("doing work\n")));
        assertEquals(List.of(), plain.format(line("END RequestId: " + RID + "\n")));
        List<String> report = plain.format(line("REPORT RequestId: " + RID + "\tDuration: 12.34 ms\tBilled Duration: 13 ms\t"
                + "Memory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 151.20 ms\t\n"));
        assertEquals(List.of("Worker 11:15:30.123 \u25a0 8f2c1d3e $LATEST  12.34 ms (billed 13 ms) \u00b7 64/128 MB"
                + " \u00b7 cold start (init 151.20 ms)"), report);
    }

    @Test
    void aWarmReportHasNoColdStartAndAFailedOneShowsItsStatus() {
        String warm = plain.format(line("REPORT RequestId: " + RID + "\tDuration: 2.00 ms\tBilled Duration: 2 ms\t"
                + "Memory Size: 128 MB\tMax Memory Used: 70 MB\t")).get(0);
        assertFalse(warm.contains("cold start"), warm);
        assertTrue(warm.endsWith("2.00 ms (billed 2 ms) \u00b7 70/128 MB"), warm);
        String timeout = plain.format(line("REPORT RequestId: " + RID + "\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\t"
                + "Memory Size: 128 MB\tMax Memory Used: 70 MB\tStatus: timeout")).get(0);
        assertTrue(timeout.endsWith("\u00b7 timeout"), timeout);
    }

    @Test
    void runtimePrefixesAreDroppedAndLevelsOtherThanInfoKept() {
        assertEquals(List.of("Worker 11:15:30.123 order 42 saved"),
                plain.format(line("2026-11-21T10:15:30.123Z\t" + RID + "\tINFO\torder 42 saved\n")));
        assertEquals(List.of("Worker 11:15:30.123 WARN slow"),
                plain.format(line("2026-11-21T10:15:30.123Z\t" + RID + "\tWARN\tslow\n")));
        assertEquals(List.of("Worker 11:15:30.123 ERROR boom"),
                plain.format(line("[ERROR]\t2026-11-21T10:15:30.123Z\t" + RID + "\tboom\n")));
    }

    @Test
    void jsonIsCompactOrPretty() {
        String msg = "{ \"order\" : 42,\n  \"items\": [1, 2] }";
        assertEquals(List.of("Worker 11:15:30.123 {\"order\":42,\"items\":[1,2]}"), plain.format(line(msg)));
        LogFormatter pretty = new LogFormatter(Map.of(GROUP, "Worker"), false, true, ZoneOffset.UTC);
        List<String> lines = pretty.format(line(msg));
        assertEquals("Worker 10:15:30.123 {", lines.get(0));
        assertEquals("                      \"order\" : 42,", lines.get(1));
        assertEquals("                    }", lines.get(lines.size() - 1));
        assertEquals(List.of("Worker 11:15:30.123 {not json"), plain.format(line("{not json")));
    }

    @Test
    void nodeInvokeErrorsReadAsARedTrace() {
        LogFormatter ansi = new LogFormatter(Map.of(GROUP, "Worker"), true, false, ZoneOffset.UTC);
        String message = "2026-11-21T10:15:30.123Z\t" + RID + "\tERROR\tInvoke Error \t"
                + "{\"errorType\":\"Error\",\"errorMessage\":\"boom\",\"code\":\"E42\","
                + "\"stack\":[\"Error: boom\",\"    at x (/var/task/index.js:3:9)\",\"    at y (/var/task/index.js:9:1)\"]}\n";
        List<String> out = ansi.format(line(message));
        assertEquals(List.of("Worker 10:15:30.123 ERROR Invoke Error Error: boom code=E42",
                "                        at x (/var/task/index.js:3:9)",
                "                        at y (/var/task/index.js:9:1)"), out.stream().map(LogFormatterTest::strip).toList());
        for (String l : out) {
            assertTrue(l.contains("\u001b[31m"), l);
        }
        // --json-pretty shows the object itself.
        LogFormatter pretty = new LogFormatter(Map.of(GROUP, "Worker"), false, true, ZoneOffset.UTC);
        List<String> p = pretty.format(line(message));
        assertEquals("Worker 10:15:30.123 ERROR Invoke Error {", p.get(0));
        assertTrue(p.stream().anyMatch(l -> l.contains("\"errorMessage\" : \"boom\"")), p.toString());
    }

    @Test
    void pythonErrorObjectsReadAsATraceToo() {
        List<String> out = plain.format(line("{\"errorMessage\": \"bad input\", \"errorType\": \"ValueError\", "
                + "\"requestId\": \"r1\", \"stackTrace\": [\"  File \\\"/var/task/index.py\\\", line 3, in handler\\n    raise ValueError('bad input')\\n\"]}"));
        assertEquals(List.of("Worker 11:15:30.123 ValueError: bad input requestId=r1",
                "                      File \"/var/task/index.py\", line 3, in handler",
                "                        raise ValueError('bad input')"), out);
    }

    @Test
    void tracesAndTimeoutsStandOutAndNothingIsCut() {
        LogFormatter ansi = new LogFormatter(Map.of(GROUP, "Worker"), true, false, ZoneOffset.UTC);
        StringBuilder big = new StringBuilder("Traceback (most recent call last):\n");
        for (int i = 0; i < 300; i++) {
            big.append("  File \"/var/task/index.py\", line ").append(i).append(", in handler\n");
        }
        big.append("ValueError: bad input\n");
        List<String> out = ansi.format(line(big.toString()));
        assertEquals(302, out.size());
        for (String l : out) {
            assertTrue(l.contains("\u001b[31m"), l);
        }
        assertEquals("ValueError: bad input", LogFormatterTest.strip(out.get(301)).strip());
        String timedOut = ansi.format(line("2026-11-21T10:15:33.130Z " + RID + " Task timed out after 3.00 seconds\n")).get(0);
        assertTrue(timedOut.contains("\u001b[1;31mTask timed out after 3.00 seconds"), timedOut);
    }

    @Test
    void eachFunctionHasItsOwnColourAndLabelsAlign() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("/aws/lambda/a", "Api");
        labels.put("/aws/lambda/b", "LongWorker");
        LogFormatter f = new LogFormatter(labels, true, false, ZoneOffset.UTC);
        String a = f.format(new LogLine("/aws/lambda/a", "s", T, "x", null, null)).get(0);
        String b = f.format(new LogLine("/aws/lambda/b", "s", T, "x", null, null)).get(0);
        assertFalse(a.substring(0, 6).equals(b.substring(0, 6)), a + " / " + b);
        assertEquals(strip(a).indexOf("10:15"), strip(b).indexOf("10:15"));
        String unknown = f.format(new LogLine("/aws/lambda/other-fn", "s", T, "x", null, null)).get(0);
        assertTrue(strip(unknown).matches("other-fn +10:15:30\\.123 x"), unknown);
    }

    @Test
    void otherPlatformLinesAreDim() {
        LogFormatter ansi = new LogFormatter(Map.of(GROUP, "Worker"), true, false, ZoneOffset.UTC);
        String init = "INIT_START Runtime Version: nodejs:20.v31\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc";
        List<String> out = ansi.format(line(init + "\n"));
        assertEquals(1, out.size());
        assertTrue(out.get(0).endsWith("\u001b[2m" + init + "\u001b[0m"), out.get(0));
        assertEquals(List.of("Worker 11:15:30.123 " + init), plain.format(line(init)));
    }

    @Test
    void noAnsiMeansNoEscapes() {
        List<String> all = new ArrayList<>();
        all.addAll(plain.format(line("2026-11-21T10:15:30.123Z\t" + RID + "\tERROR\tbad\nError: bad\n    at f (index.js:1:1)")));
        all.addAll(plain.format(line("Task timed out after 1.00 seconds")));
        for (String l : all) {
            assertFalse(l.contains("\u001b"), l);
        }
    }

    @Test
    void lambdasJsonLogFormatIsCondensedTheSameWay() {
        assertEquals(List.of(), plain.format(line("{\"time\":\"2026-11-21T10:15:30.100Z\",\"type\":\"platform.start\","
                + "\"record\":{\"requestId\":\"" + RID + "\",\"version\":\"$LATEST\"}}")));
        assertEquals(List.of("Worker 11:15:30.123 order 42 saved"), plain.format(line("{\"timestamp\":\"2026-11-21T10:15:30.120Z\","
                + "\"level\":\"INFO\",\"requestId\":\"" + RID + "\",\"message\":\"order 42 saved\"}")));
        assertEquals(List.of("Worker 11:15:30.123 ERROR {\"code\":7}"), plain.format(line("{\"timestamp\":\"x\","
                + "\"level\":\"ERROR\",\"requestId\":\"" + RID + "\",\"message\":{\"code\":7}}")));
        assertEquals(List.of(), plain.format(line("{\"time\":\"x\",\"type\":\"platform.runtimeDone\",\"record\":{\"requestId\":\""
                + RID + "\",\"status\":\"success\"}}")));
        List<String> report = plain.format(line("{\"time\":\"x\",\"type\":\"platform.report\",\"record\":{\"requestId\":\""
                + RID + "\",\"metrics\":{\"durationMs\":12.345,\"billedDurationMs\":13,\"memorySizeMB\":128,"
                + "\"maxMemoryUsedMB\":64,\"initDurationMs\":151.2},\"status\":\"timeout\"}}"));
        assertEquals(List.of("Worker 11:15:30.123 \u25a0 8f2c1d3e $LATEST  12.35 ms (billed 13 ms) \u00b7 64/128 MB"
                + " \u00b7 cold start (init 151.20 ms) \u00b7 timeout"), report);
    }

    @Test
    void forActionsLabelsByConstructName() {
        LogFormatter f = LogFormatter.forActions(List.of(new Action("Shop", "W1", "Shop/Orders/Worker", "fn", GROUP)),
                false, false);
        assertTrue(f.format(line("x")).get(0).startsWith("Worker "));
        // The function, not the log group resource it writes to, names the lines.
        LogFormatter shared = LogFormatter.forActions(List.of(
                new Action("Shop", "Logs1", "Shop/ApiLogs", "/shop/api", "/shop/api"),
                new Action("Shop", "Api1", "Shop/Api/Handler", "Shop-Api1-x", "/shop/api")), false, false);
        assertTrue(shared.format(new LogLine("/shop/api", "s", T, "x", null, null)).get(0).startsWith("Handler "));
    }

    static String strip(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
