package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeLoopTest {

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    @Test
    void changesDuringARunCollapseIntoExactlyOneFollowUp() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Set<Integer>> runs = new CopyOnWriteArrayList<>();
        List<String> transitions = new CopyOnWriteArrayList<>();
        ChangeLoop.Listener<Set<Integer>> listener = new ChangeLoop.Listener<>() {
            @Override
            public void stateChanged(ChangeLoop.State from, ChangeLoop.State to) {
                transitions.add(from + "->" + to);
            }
        };
        try (ChangeLoop<Set<Integer>> loop = new ChangeLoop<>(c -> {
            runs.add(c);
            if (runs.size() == 1) {
                inFirst.countDown();
                await(release);
            }
        }, ChangeLoopTest::union, listener)) {
            loop.submit(Set.of(1));
            assertTrue(inFirst.await(5, TimeUnit.SECONDS));
            loop.submit(Set.of(2));
            assertEquals(ChangeLoop.State.QUEUED, loop.state());
            loop.submit(Set.of(3));
            loop.submit(Set.of(4));
            release.countDown();
            assertTrue(loop.awaitIdle(Duration.ofSeconds(5)));
        }
        assertEquals(List.of(Set.of(1), Set.of(2, 3, 4)), runs);
        assertEquals(List.of("IDLE->RUNNING", "RUNNING->QUEUED", "QUEUED->RUNNING", "RUNNING->IDLE"), transitions);
    }

    @Test
    void aFailedCycleIsReportedAndTheLoopGoesOn() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Integer> done = new CopyOnWriteArrayList<>();
        ChangeLoop.Listener<Integer> listener = new ChangeLoop.Listener<>() {
            @Override
            public void cycleFailed(Integer change, Throwable error) {
                failures.add(error);
            }
        };
        try (ChangeLoop<Integer> loop = new ChangeLoop<>(c -> {
            if (c == 1) {
                throw new IllegalStateException("synth failed");
            }
            done.add(c);
        }, (a, b) -> b, listener)) {
            loop.submit(1);
            assertTrue(loop.awaitIdle(Duration.ofSeconds(5)));
            loop.submit(2);
            assertTrue(loop.awaitIdle(Duration.ofSeconds(5)));
        }
        assertEquals(1, failures.size());
        assertEquals("synth failed", failures.get(0).getMessage());
        assertEquals(List.of(2), done);
    }

    @Test
    void randomSubmissionsNeverOverlapAndLoseNothing() throws Exception {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 30; trial++) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            List<Integer> lastOfRuns = new CopyOnWriteArrayList<>();
            try (ChangeLoop<Set<Integer>> loop = new ChangeLoop<>(c -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                seen.addAll(c);
                lastOfRuns.add(Collections.max(c));
                sleep(rnd.nextInt(3));
                running.decrementAndGet();
            }, ChangeLoopTest::union, null)) {
                int n = 20 + rnd.nextInt(30);
                for (int i = 0; i < n; i++) {
                    loop.submit(Set.of(i));
                    if (rnd.nextInt(4) == 0) {
                        sleep(rnd.nextInt(3));
                    }
                }
                assertTrue(loop.awaitIdle(Duration.ofSeconds(10)));
                assertEquals(1, maxRunning.get());
                assertEquals(n, new TreeSet<>(seen).size(), "every change ran");
                assertEquals(n - 1, lastOfRuns.get(lastOfRuns.size() - 1), "the last run includes the latest change");
            }
        }
    }

    @Test
    void awaitIdleTimesOutAndSubmitAfterCloseFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ChangeLoop<Integer> loop = new ChangeLoop<>(c -> await(release), (a, b) -> b, null);
        loop.submit(1);
        assertFalse(loop.awaitIdle(Duration.ofMillis(50)));
        release.countDown();
        assertTrue(loop.awaitIdle(Duration.ofSeconds(5)));
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.submit(2));
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
