package dev.cachewarming.macrobench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * With {@code -Dbench.faults.slow-stacks=<ms>}, prints where each call that runs longer than that is waiting (its
 * thread's stack, once per call, with the second of the run), to tell a slow Redis from a slow database or a
 * starved CPU. Off by default: a no-op.
 */
final class SlowCallStacks {

    private static final SlowCallStacks OFF = new SlowCallStacks(Long.MAX_VALUE, 0);

    private final long thresholdNanos;

    private final long start;

    private final Map<Thread, long[]> inCall = new ConcurrentHashMap<>();

    private SlowCallStacks(long thresholdNanos, long start) {
        this.thresholdNanos = thresholdNanos;
        this.start = start;
    }

    static SlowCallStacks fromSystemProperty(long start, long end) {
        Long millis = Long.getLong("bench.faults.slow-stacks");
        if (millis == null) {
            return OFF;
        }
        SlowCallStacks stacks = new SlowCallStacks(millis * 1_000_000L, start);
        Thread sampler = new Thread(() -> stacks.sampleUntil(end), "slow-call-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return stacks;
    }

    void enter(long began) {
        if (this != OFF) {
            this.inCall.put(Thread.currentThread(), new long[] { began, 0 });
        }
    }

    void exit() {
        if (this != OFF) {
            this.inCall.remove(Thread.currentThread());
        }
    }

    private void sampleUntil(long end) {
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            this.inCall.forEach((thread, call) -> {
                if (call[1] == 0 && now - call[0] > this.thresholdNanos) {
                    call[1] = 1;
                    StringBuilder out = new StringBuilder(String.format("%.2f s: %s in a call for %d ms, at",
                            (now - this.start) / 1e9, thread.getName(), (now - call[0]) / 1_000_000));
                    StackTraceElement[] stack = thread.getStackTrace();
                    for (int i = 0; i < stack.length; i++) {
                        if (i < 4 || stack[i].getClassName().startsWith("dev.cachewarming.cache")
                                || stack[i].getClassName().startsWith("dev.cachewarming.stampede")) {
                            out.append("\n    ").append(stack[i]);
                        }
                    }
                    System.out.println(out);
                }
            });
            LockSupport.parkNanos(10_000_000);
        }
    }
}
