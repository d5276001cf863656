package piranha.lvsd;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.ScriptSecurity;

/**
 * Reads and checks lvs.cf on a worker thread: a large file must not hold up the event loop.
 * After {@code previous} was read, only the blocks that changed since are read again.
 */
final class ConfigReader {
    /** One reading and the CPU time it cost its worker thread (a reload reports it). */
    record Read(LvsCfDocument document, long cpuNanos) {}

    private final Vertx vertx;
    private final Path config;

    ConfigReader(Vertx vertx, Path config) {
        this.vertx = vertx;
        this.config = config;
    }

    Path path() {
        return config;
    }

    Future<Read> read(LvsCfDocument previous) {
        return vertx.executeBlocking(() -> {
            try {
                long cpu = cpuNanos();
                LvsCfDocument doc = previous == null ? LvsCfFiles.read(config) : LvsCfFiles.reread(config, previous);
                if (!doc.hasErrors()) {
                    ScriptSecurity.require(doc); // programs another user could change never run as root
                }
                return new Read(doc, cpuNanos() - cpu);
            } catch (IOException e) {
                throw new IOException("cannot read " + config + ": " + e.getMessage(), e);
            }
        }, false);
    }

    /** CPU time of the calling thread: what a step cost, whatever else the machine was doing. */
    static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
