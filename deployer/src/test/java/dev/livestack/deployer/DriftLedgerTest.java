package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftLedgerTest {

    @Test
    void aSwapRecordsTheBaselineOnceAndSwappingItBackForgetsIt() {
        DriftLedger l = DriftLedger.empty();
        l.swapped("Fn", "AWS::Lambda::Function", "Code", TestTemplates.node("{'ZipFile':'v1'}"), TestTemplates.node("{'ZipFile':'v2'}"));
        l.swapped("Fn", "AWS::Lambda::Function", "Code", TestTemplates.node("{'ZipFile':'v2'}"), TestTemplates.node("{'ZipFile':'v3'}"));
        assertEquals(TestTemplates.node("{'ZipFile':'v1'}"), l.entry("Fn").orElseThrow().baseline().get("Code"), "the first baseline stays");
        l.swapped("Fn", "AWS::Lambda::Function", "Code", TestTemplates.node("{'ZipFile':'v3'}"), TestTemplates.node("{'ZipFile':'v1'}"));
        assertTrue(l.isEmpty());
    }

    @Test
    void aSwapToTheSameValueIsNoDrift() {
        DriftLedger l = DriftLedger.empty();
        l.swapped("Fn", "AWS::Lambda::Function", "Description", TestTemplates.node("'d'"), TestTemplates.node("'d'"));
        assertTrue(l.isEmpty());
    }

    @Test
    void anAbsentBaselineSurvivesTheFile() {
        DriftLedger l = DriftLedger.empty();
        l.swapped("Fn", "AWS::Lambda::Function", "Environment", null, TestTemplates.node("{'Variables':{'A':'1'}}"));
        l.swapped("Fn", "AWS::Lambda::Function", "Code", TestTemplates.node("{'ZipFile':'v1'}"), TestTemplates.node("{'ZipFile':'v2'}"));
        DriftLedger back = DriftLedger.parse(l.toJson());
        assertEquals(Set.of("Environment", "Code"), back.entry("Fn").orElseThrow().baseline().keySet());
        assertNull(back.entry("Fn").orElseThrow().baseline().get("Environment"));
        assertEquals("AWS::Lambda::Function", back.entry("Fn").orElseThrow().resourceType());
        back.forget("Fn", "Environment");
        back.forget("Fn", "Code");
        assertEquals(Map.of(), back.entries());
    }
}
