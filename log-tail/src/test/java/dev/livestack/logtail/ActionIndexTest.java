package dev.livestack.logtail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ActionIndexTest {
    private static final Action WORKER = new Action("Shop", "OrdersWorker1A2B3C", "Shop/Orders/Worker",
            "Shop-OrdersWorker1A2B3C-abc123", "/aws/lambda/Shop-OrdersWorker1A2B3C-abc123");
    private static final Action API = new Action("Shop", "ApiHandlerF00D", "Shop/Api/Handler",
            "Shop-ApiHandlerF00D-def456", "/custom/api-logs");
    private static final Action AUDIT = new Action("Shop", "AuditLogs", "Shop/AuditLogs", "shop-audit", "shop-audit");
    private static final Action OTHER_WORKER = new Action("Billing", "OrdersWorker1A2B3C", "Billing/Orders/Worker",
            "Billing-OrdersWorker1A2B3C-zzz", "/aws/lambda/Billing-OrdersWorker1A2B3C-zzz");
    private static final Action NO_PATH = new Action("Plain", "Fn", null, "plain-fn", "/aws/lambda/plain-fn");

    private final ActionResolver resolver = ActionResolver.of(List.of(WORKER, API, AUDIT, OTHER_WORKER, NO_PATH));

    @Test
    void everyKindOfNameResolves() throws Exception {
        assertEquals(List.of(WORKER), resolver.resolve(List.of("Shop/Orders/Worker")));
        assertEquals(List.of(WORKER), resolver.resolve(List.of("Shop/Orders/Worker/Resource")));
        // Without the stack, a path names that construct in every stack.
        assertEquals(List.of(WORKER, OTHER_WORKER), resolver.resolve(List.of("Orders/Worker")));
        assertEquals(List.of(WORKER), resolver.resolve(List.of("Shop-OrdersWorker1A2B3C-abc123")));
        assertEquals(List.of(WORKER), resolver.resolve(List.of("/aws/lambda/Shop-OrdersWorker1A2B3C-abc123")));
        assertEquals(List.of(API), resolver.resolve(List.of("/custom/api-logs")));
        assertEquals(List.of(AUDIT), resolver.resolve(List.of("shop-audit")));
        assertEquals(List.of(NO_PATH), resolver.resolve(List.of("Fn")));
        assertEquals(List.of(WORKER), resolver.resolve(List.of("Shop/OrdersWorker1A2B3C")));
        // The construct's own name, as written in the app.
        assertEquals(List.of(API), resolver.resolve(List.of("Handler")));
        assertEquals(List.of(AUDIT), resolver.resolve(List.of("AuditLogs")));
    }

    @Test
    void aLogicalIdInTwoStacksGivesBoth() throws Exception {
        assertEquals(List.of(WORKER, OTHER_WORKER), resolver.resolve(List.of("OrdersWorker1A2B3C")));
        assertEquals(List.of(WORKER, OTHER_WORKER), resolver.resolve(List.of("Worker")));
    }

    @Test
    void severalNamesAndGlobsKeepOrderWithoutDuplicates() throws Exception {
        assertEquals(List.of(API, WORKER), resolver.resolve(List.of("Shop/Api/Handler", "Shop/Orders/*", "Shop-Orders*")));
        assertEquals(List.of(WORKER, API, AUDIT), resolver.resolve(List.of("Shop/*")));
        assertEquals(List.of(WORKER, OTHER_WORKER), resolver.resolve(List.of("*/Orders/Worker")));
        assertEquals(List.of(AUDIT), resolver.resolve(List.of("shop-aud?t")));
    }

    @Test
    void caseIsIgnoredOnlyWhenNothingMatchesExactly() throws Exception {
        assertEquals(List.of(NO_PATH), resolver.resolve(List.of("fn")));
        assertEquals(List.of(WORKER), resolver.resolve(List.of("shop/orders/worker")));
    }

    @Test
    void unknownNamesListTheClosestMatches() {
        UnknownActionException e = assertThrows(UnknownActionException.class,
                () -> resolver.resolve(List.of("Shop/Orders/Wroker", "Fn", "ApiHandlr")));
        assertEquals(List.of("Shop/Orders/Wroker", "ApiHandlr"), e.unknownNames());
        assertEquals("Shop/Orders/Worker", e.closestTo("Shop/Orders/Wroker").get(0));
        assertEquals("Shop/Api/Handler", e.closestTo("ApiHandlr").get(0));
        assertTrue(e.getMessage().startsWith("Unknown actions 'Shop/Orders/Wroker', 'ApiHandlr'"), e.getMessage());
        assertTrue(e.getMessage().contains("Closest matches"), e.getMessage());
    }

    @Test
    void aGlobThatMatchesNothingIsUnknown() {
        UnknownActionException e = assertThrows(UnknownActionException.class, () -> resolver.resolve(List.of("Nope*")));
        assertEquals(List.of("Nope*"), e.unknownNames());
    }

    @Test
    void nothingDeployedSaysSo() {
        UnknownActionException e = assertThrows(UnknownActionException.class,
                () -> ActionResolver.of(List.of()).resolve(List.of("Worker")));
        assertTrue(e.getMessage().contains("No functions or log groups are deployed"), e.getMessage());
    }

    @Test
    void blankNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> resolver.resolve(List.of(" ")));
    }

    @Test
    void editDistanceIsLevenshtein() {
        assertEquals(0, ActionIndex.distance("worker", "worker"));
        assertEquals(2, ActionIndex.distance("wroker", "worker"));
        assertEquals(3, ActionIndex.distance("kitten", "sitting"));
        assertEquals(6, ActionIndex.distance("", "worker"));
    }

    @Test
    void actionsRejectBlankFields() {
        assertThrows(IllegalArgumentException.class, () -> new Action("", "L", null, "p", "g"));
        assertThrows(IllegalArgumentException.class, () -> new Action("S", "L", " ", "p", "g"));
        assertThrows(IllegalArgumentException.class, () -> new Action("S", "L", null, "p", null));
        assertEquals("Worker", WORKER.label());
        assertEquals("Fn", NO_PATH.label());
    }
}
