package piranha.daemon;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way the daemons run a program: pulse's address commands and hooks, ipvsadm for lvsd and
 * the nanny command, check programs and load commands, lvsd under pulse. No shell: the program
 * and its arguments are a list. Standard input is /dev/null unless the caller gives text.
 *
 * <p>{@link #run} runs a program to completion under a deadline: past it, the program and every
 * descendant it has at that moment are killed. Output is read through pipes and kept up to a cap;
 * the rest is read and dropped, so a program never blocks on a full pipe. A run ends when the
 * program has exited and its output is closed; a descendant that keeps the output open after the
 * program exited is not waited for beyond {@link #EXIT_GRACE}. {@link #start} starts a long-lived
 * child (lvsd) whose output goes where the daemon's goes, for its caller to supervise.
 *
 * <p>Starting, feeding, draining and waiting for exits run on this class's own pool of daemon
 * threads (never an event loop, never the common ForkJoin pool), deadlines on one timer thread. A
 * running program holds a thread that waits for its exit and one per captured stream; idle, the
 * pool holds no thread.
 */
public final class ProcessRunner {
    /** Output kept per stream unless the caller sets another cap. */
    public static final int DEFAULT_OUTPUT_CAP = 64 * 1024;
    /** How long output is still read after the program exited, while a descendant holds it open. */
    public static final Duration EXIT_GRACE = Duration.ofMillis(500);
    private static final File DEV_NULL = new File("/dev/null");
    private static final ProcessRunner SHARED = new ProcessRunner();

    /** What becomes of the program's standard error. */
    public enum Stderr {
        /** Dropped (check programs, as Piranha did). */
        DISCARD,
        /** Into the standard output, in the order written. */
        MERGE,
        /** Kept apart, up to the same cap. */
        CAPTURE
    }

    /**
     * A program to run to completion.
     *
     * @param argv      the program and its arguments, no shell
     * @param timeout   the deadline, from the start
     * @param stdin     written to the program's standard input, then closed; null: /dev/null
     * @param stderr    what becomes of standard error
     * @param outputCap bytes kept per captured stream
     */
    public record Spec(List<String> argv, Duration timeout, String stdin, Stderr stderr, int outputCap) {
        public Spec {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("no program to run");
            }
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(stderr, "stderr");
            if (outputCap < 0) {
                throw new IllegalArgumentException("output cap must be >= 0, not " + outputCap);
            }
        }

        /** stdin /dev/null, stderr dropped, {@link #DEFAULT_OUTPUT_CAP}. */
        public static Spec of(List<String> argv, Duration timeout) {
            return new Spec(argv, timeout, null, Stderr.DISCARD, DEFAULT_OUTPUT_CAP);
        }

        public Spec withStdin(String text) {
            return new Spec(argv, timeout, text, stderr, outputCap);
        }

        public Spec withStderr(Stderr s) {
            return new Spec(argv, timeout, stdin, s, outputCap);
        }

        public Spec withOutputCap(int bytes) {
            return new Spec(argv, timeout, stdin, stderr, bytes);
        }

        /** The command line, for logs. */
        public String shown() {
            return String.join(" ", argv);
        }
    }

    /**
     * How a run ended. {@code exitCode} is -1 unless the program exited; {@code truncated} says that
     * a stream printed more than the cap; {@code error} says why a program could not start.
     */
    public record Result(Status status, int exitCode, byte[] stdout, byte[] stderr, boolean truncated, String error) {
        public enum Status { EXITED, TIMED_OUT, FAILED_TO_START }

        static Result failedToStart(String why) {
            return new Result(Status.FAILED_TO_START, -1, new byte[0], new byte[0], false, why);
        }

        /** Exited with status 0. */
        public boolean ok() {
            return status == Status.EXITED && exitCode == 0;
        }

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    private final ExecutorService io;
    private final ScheduledExecutorService deadlines;

    private ProcessRunner() {
        io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads("process-io"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads("process-deadlines"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        deadlines = timer;
    }

    /** The runner of this JVM. */
    public static ProcessRunner shared() {
        return SHARED;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs a program to completion; the future never fails (a program that cannot start is a result). */
    public CompletableFuture<Result> run(Spec spec) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        io.execute(() -> launch(spec, result));
        return result;
    }

    /** {@link #run} for a thread that may block (never an event loop). */
    public Result runAndWait(Spec spec) throws InterruptedException {
        try {
            return run(spec).get();
        } catch (ExecutionException e) {
            return Result.failedToStart(describe(e.getCause()));
        }
    }

    private void launch(Spec spec, CompletableFuture<Result> result) {
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.redirectInput(spec.stdin() == null ? ProcessBuilder.Redirect.from(DEV_NULL) : ProcessBuilder.Redirect.PIPE);
        switch (spec.stderr()) {
            case DISCARD -> pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            case MERGE -> pb.redirectErrorStream(true);
            case CAPTURE -> pb.redirectError(ProcessBuilder.Redirect.PIPE);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            result.complete(Result.failedToStart(describe(e)));
            return;
        }
        new Run(p, spec, result).begin();
    }

    /** One program running to completion. */
    private final class Run {
        private final Process process;
        private final Spec spec;
        private final CompletableFuture<Result> result;
        private final OutputCapture out;
        private final OutputCapture err;
        private volatile ScheduledFuture<?> deadline;
        /** Set before the kill, so that the exit the kill causes is reported as the timeout it is. */
        private volatile boolean timedOut;

        Run(Process process, Spec spec, CompletableFuture<Result> result) {
            this.process = process;
            this.spec = spec;
            this.result = result;
            this.out = new OutputCapture(process.getInputStream(), spec.outputCap());
            this.err = spec.stderr() == Stderr.CAPTURE ? new OutputCapture(process.getErrorStream(), spec.outputCap()) : null;
        }

        void begin() {
            deadline = deadlines.schedule(this::deadlinePassed, Math.max(1, spec.timeout().toMillis()), TimeUnit.MILLISECONDS);
            if (spec.stdin() != null) {
                io.execute(this::feed);
            }
            io.execute(() -> {
                out.run();
                finishIfDone();
            });
            if (err != null) {
                io.execute(() -> {
                    err.run();
                    finishIfDone();
                });
            }
            io.execute(() -> {
                if (!awaitExit(process)) {
                    return;
                }
                finishIfDone();
                if (!result.isDone()) {
                    // A descendant holds the output open: what it printed by now is the program's output.
                    deadlines.schedule(() -> finish(Result.Status.EXITED), EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }

        private void feed() {
            try (OutputStream in = process.getOutputStream()) {
                in.write(spec.stdin().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the program closed its input or died; its exit says how it went
            }
        }

        private void finishIfDone() {
            if (!process.isAlive() && out.done() && (err == null || err.done())) {
                finish(Result.Status.EXITED);
            }
        }

        private void deadlinePassed() {
            if (process.isAlive()) {
                timedOut = true;
                killTree(process.toHandle());
                finish(Result.Status.TIMED_OUT);
            } else {
                finish(Result.Status.EXITED);
            }
        }

        private void finish(Result.Status reached) {
            if (result.isDone()) {
                return;
            }
            Result.Status status = timedOut ? Result.Status.TIMED_OUT : reached;
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            int exit = status == Result.Status.EXITED ? process.exitValue() : -1;
            byte[] e = err == null ? new byte[0] : err.bytes();
            result.complete(new Result(status, exit, out.bytes(), e, out.truncated() || (err != null && err.truncated()), null));
        }
    }

    /**
     * Starts a long-lived child with this daemon's standard output and error, and /dev/null as its
     * input, for the caller to supervise.
     */
    public Child start(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).inheritIO().redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).start();
        return new Child(p);
    }

    /**
     * Waits on a thread of this pool for a process to exit. (Process.onExit would complete on the
     * common ForkJoin pool.) False when interrupted.
     */
    private static boolean awaitExit(Process p) {
        try {
            p.waitFor();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A long-lived child: its pid, its exit, and how to stop it. */
    public final class Child {
        private final Process process;
        private final CompletableFuture<Child> exit = new CompletableFuture<>();

        Child(Process process) {
            this.process = process;
            io.execute(() -> {
                if (awaitExit(process)) {
                    exit.complete(this);
                }
            });
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The exit status; 128 + N after signal N. Only once it has exited. */
        public int exitValue() {
            return process.exitValue();
        }

        /** Completes, on a thread of the runner, when the child has exited. */
        public CompletableFuture<Child> onExit() {
            return exit;
        }

        /** SIGTERM. */
        public void terminate() {
            process.destroy();
        }

        /** SIGKILL to the child and the descendants it has now. */
        public void kill() {
            killTree(process.toHandle());
        }

        /** Whether it exited within {@code d}. */
        public boolean waitFor(Duration d) throws InterruptedException {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Kills a process and the descendants it has now. The list is taken before the process dies,
     * because once it is gone its children are re-parented and no longer its descendants.
     */
    public static void killTree(ProcessHandle process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
