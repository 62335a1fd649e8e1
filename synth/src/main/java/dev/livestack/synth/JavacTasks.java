package dev.livestack.synth;

import com.sun.source.util.JavacTask;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Function;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * Runs javac tasks, reusing javac's symbol tables between compiles when the JDK lets us.
 *
 * <p>A plain {@link JavaCompiler#getTask} builds a new javac context each time, and with it re-reads
 * every class file the app's sources use (aws-cdk-lib's Stack, Function, …): ~60 ms of a one-file
 * compile. javac's own {@code JavacTaskPool} (what jshell uses) keeps the context, and with it
 * those symbols, between tasks: ~10–15 ms. It lives in a package of {@code jdk.compiler} that is
 * not exported, so it is used only when the JVM was started with
 * {@code --add-exports jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED} (livestack's launcher and
 * jar manifest do that), else every task gets a fresh context as before.
 *
 * <p>A reused context is safe for the classes it read from jars; for the app's own types it keeps
 * the symbols of the previous compile, which are right only while their API is unchanged. The
 * caller ({@link IncrementalCompiler}) checks that and starts over with {@link #reset()} when not.
 */
final class JavacTasks {
    private static final String POOL = "com.sun.tools.javac.api.JavacTaskPool";
    private static final Method GET_TASK;
    private static final Class<?> WORKER;

    static {
        Method getTask = null;
        Class<?> worker = null;
        boolean wanted = !"false".equals(System.getProperty("livestack.javacPool"));
        boolean exported = ModuleLayer.boot().findModule("jdk.compiler")
                .map(m -> m.isExported("com.sun.tools.javac.api", JavacTasks.class.getModule()))
                .orElse(false);
        if (wanted && exported) {
            try {
                Class<?> pool = Class.forName(POOL);
                worker = Class.forName(POOL + "$Worker");
                getTask = pool.getMethod("getTask", Writer.class, JavaFileManager.class, DiagnosticListener.class,
                        Iterable.class, Iterable.class, Iterable.class, worker);
            } catch (ReflectiveOperationException | RuntimeException e) {
                getTask = null;
            }
        }
        GET_TASK = getTask;
        WORKER = worker;
    }

    private final JavaCompiler javac;
    private Object pool;
    private int uses;

    JavacTasks(JavaCompiler javac) {
        this.javac = javac;
    }

    /** Whether tasks share a javac context (the JVM exports javac's task pool to livestack). */
    static boolean pooled() {
        return GET_TASK != null;
    }

    /**
     * Whether the next task runs in a context that earlier tasks used, so symbols of the app's own
     * types may be those of an earlier compile.
     */
    boolean reusesContext() {
        return pool != null && uses > 0;
    }

    /** The next task starts from a fresh context (then kept for the tasks after it). */
    void reset() {
        pool = null;
        uses = 0;
    }

    /** Creates a task and runs {@code body} with it; the task must not escape {@code body}. */
    <T> T run(JavaFileManager fileManager, DiagnosticListener<? super JavaFileObject> diagnostics, List<String> options,
            Iterable<? extends JavaFileObject> units, Function<JavacTask, T> body) {
        if (GET_TASK == null) {
            return body.apply((JavacTask) javac.getTask(null, fileManager, diagnostics, options, null, units));
        }
        try {
            if (pool == null) {
                pool = Class.forName(POOL).getConstructor(int.class).newInstance(1);
                uses = 0;
            }
            // Worker's one method is withTask(JavacTask); the rest a proxy can see are Object's
            Object worker = Proxy.newProxyInstance(JavacTasks.class.getClassLoader(), new Class<?>[] {WORKER}, (p, m, args) -> {
                if (m.getDeclaringClass() != Object.class) {
                    return body.apply((JavacTask) args[0]);
                }
                switch (m.getName()) {
                    case "equals":
                        return p == args[0];
                    case "hashCode":
                        return System.identityHashCode(p);
                    default:
                        return "livestack javac worker";
                }
            });
            @SuppressWarnings("unchecked")
            T result = (T) GET_TASK.invoke(pool, null, fileManager, diagnostics, options, null, units, worker);
            uses++;
            return result;
        } catch (InvocationTargetException e) {
            // the pool does not take a context back from a task that threw: start the next one afresh
            reset();
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (ReflectiveOperationException e) {
            reset();
            throw new IllegalStateException("javac's task pool failed: " + e, e);
        }
    }
}
