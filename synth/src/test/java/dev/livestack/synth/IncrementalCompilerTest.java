package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalCompilerTest {
    @TempDir
    Path app;
    private IncrementalCompiler compiler;
    private Path classes;

    @BeforeEach
    void setUp() throws Exception {
        write("A.java", "package p; public class A { public static final String X = \"one\"; }");
        write("B.java", "package p; public class B { public static String get() { return A.X + \"!\"; } }");
        write("C.java", "package p; public class C { public static int n() { return 1; } }");
        classes = app.resolve(".livestack/classes");
        compiler = new IncrementalCompiler(app, app.resolve("src/main/java"), classes);
    }

    @AfterEach
    void tearDown() {
        compiler.close();
    }

    private void write(String name, String text) throws Exception {
        Path p = app.resolve("src/main/java/p").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private Object call(String cls, String method) throws Exception {
        try (URLClassLoader l = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            return l.loadClass(cls).getMethod(method).invoke(null);
        }
    }

    @Test
    void compilesEverythingFirstThenOnlyWhatChanged() throws Exception {
        assertEquals(3, compiler.compile(List.of()).compiledFiles());
        assertEquals("one!", call("p.B", "get"));
        assertFalse(compiler.compile(List.of()).classesChanged(), "nothing changed, nothing compiled");

        write("C.java", "package p; public class C { public static int n() { return 2; } }");
        assertEquals(1, compiler.compile(List.of()).compiledFiles(), "a body change compiles one file");
        assertEquals(2, call("p.C", "n"));
    }

    @Test
    void aChangedConstantRecompilesTheClassesThatInlinedIt() throws Exception {
        compiler.compile(List.of());
        write("A.java", "package p; public class A { public static final String X = \"two\"; }");
        assertEquals(2, compiler.compile(List.of()).compiledFiles());
        assertEquals("two!", call("p.B", "get"));
    }

    @Test
    void errorsSayFileAndLineAndLeaveTheLastGoodClasses() throws Exception {
        compiler.compile(List.of());
        write("B.java", "package p;\npublic class B {\n  public static String get() { return A.Y; }\n}");
        SynthException e = assertThrows(SynthException.class, () -> compiler.compile(List.of()));
        assertEquals("compilation failed: 1 error", e.getMessage());
        assertTrue(e.diagnostics().get(0).startsWith("src/main/java/p/B.java:3: cannot find symbol"), e.diagnostics().toString());
        assertEquals("one!", call("p.B", "get"), "the classes folder keeps the last good build");

        write("B.java", "package p; public class B { public static String get() { return A.X + \"?\"; } }");
        compiler.compile(List.of());
        assertEquals("one?", call("p.B", "get"));
    }

    @Test
    void aDeletedSourceLosesItsClassesAndBreaksItsUsers() throws Exception {
        compiler.compile(List.of());
        Files.delete(app.resolve("src/main/java/p/A.java"));
        SynthException e = assertThrows(SynthException.class, () -> compiler.compile(List.of()));
        assertTrue(e.diagnostics().get(0).startsWith("src/main/java/p/B.java:1: "), e.diagnostics().toString());
        Files.delete(app.resolve("src/main/java/p/B.java"));
        compiler.compile(List.of());
        assertFalse(Files.exists(classes.resolve("p/A.class")));
        assertFalse(Files.exists(classes.resolve("p/B.class")));
        assertTrue(Files.exists(classes.resolve("p/C.class")));
    }

    @Test
    void aTypeRemovedFromAFileIsNotServedByItsOldClassFile() throws Exception {
        write("A.java", "package p; public class A { public static final String X = \"one\"; } class Helper { static int h() { return 1; } }");
        write("D.java", "package p; public class D { public static int d() { return Helper.h(); } }");
        compiler.compile(List.of());
        assertEquals(1, call("p.D", "d"));
        write("A.java", "package p; public class A { public static final String X = \"one\"; }");
        SynthException e = assertThrows(SynthException.class, () -> compiler.compile(List.of()));
        assertTrue(e.diagnostics().get(0).startsWith("src/main/java/p/D.java:1: cannot find symbol"), e.diagnostics().toString());
    }

    @Test
    void theTestJvmReusesJavacContextsAsLivestackDoes() {
        assertTrue(IncrementalCompiler.reusesJavacContext(),
                "surefire must run with --add-exports jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED, as livestack does");
    }

    @Test
    void twoFilesChangedTogetherSeeEachOthersNewApi() throws Exception {
        compiler.compile(List.of());
        // body-only edits first, so the reused javac context has served compiles and holds A, B and C
        for (int i = 2; i < 5; i++) {
            write("C.java", "package p; public class C { public static int n() { return " + i + "; } }");
            IncrementalCompiler.Result r = compiler.compile(List.of());
            assertEquals(1, r.compiledFiles());
            assertTrue(r.reusedContext(), "a body-only edit reuses javac's symbol tables");
            assertEquals(i, call("p.C", "n"));
        }
        write("A.java", "package p; public class A { public static final String X = \"one\"; public static int twice(int v) { return 2 * v; } }");
        write("C.java", "package p; public class C { public static int n() { return A.twice(21); } }");
        compiler.compile(List.of());
        assertEquals(42, call("p.C", "n"));
        write("A.java", "package p; public class A { public static final String X = \"three\"; public static int twice(int v) { return 2 * v; } }");
        write("C.java", "package p; public class C { public static int n() { return A.twice(5); } }");
        compiler.compile(List.of());
        assertEquals("three!", call("p.B", "get"), "B inlined the new constant, not one an earlier compile saw");
        assertEquals(10, call("p.C", "n"));
        write("C.java", "package p; public class C { public static int n() { return A.twice(6) + B.get().length(); } }");
        assertEquals(1, compiler.compile(List.of()).compiledFiles());
        assertEquals(18, call("p.C", "n"));
    }

    @Test
    void aRemovedMethodFailsItsCallerAfterReusedCompiles() throws Exception {
        write("C.java", "package p; public class C { public static int n() { return 1; } public static int m() { return 7; } }");
        write("D.java", "package p; public class D { public static int d() { return C.m(); } }");
        compiler.compile(List.of());
        for (int i = 2; i < 4; i++) {
            write("D.java", "package p; public class D { public static int d() { return C.m() + " + i + "; } }");
            compiler.compile(List.of());
            assertEquals(7 + i, call("p.D", "d"));
        }
        write("C.java", "package p; public class C { public static int n() { return 1; } }");
        SynthException e = assertThrows(SynthException.class, () -> compiler.compile(List.of()));
        assertTrue(e.diagnostics().get(0).startsWith("src/main/java/p/D.java:1: cannot find symbol"), e.diagnostics().toString());
        write("D.java", "package p; public class D { public static int d() { return C.n(); } }");
        compiler.compile(List.of());
        assertEquals(1, call("p.D", "d"));
    }
}
