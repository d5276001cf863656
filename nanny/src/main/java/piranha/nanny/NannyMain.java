package piranha.nanny;

import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import piranha.nanny.cli.NannyCommand;
import picocli.CommandLine;

/**
 * {@code nanny}: one real server's check loop in the foreground, with Piranha's options. With
 * {@code --lvs} (and without {@code --test-start}) its verdicts are applied with the ipvsadm given by
 * {@code -I}, as Piranha's nanny did; otherwise they are only logged.
 */
public final class NannyMain {
    private NannyMain() {}

    public static void main(String[] args) {
        NannyCommand options = new NannyCommand();
        CommandLine cl = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
        int code;
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                cl.usage(System.out);
                return;
            }
            NannyConfig config = options.toConfig();
            code = options.run(config);
        } catch (CommandLine.ParameterException e) {
            PrintWriter err = new PrintWriter(System.err, true);
            err.println("nanny: " + e.getMessage());
            cl.usage(err);
            code = 2;
        } catch (IllegalArgumentException e) {
            System.err.println("nanny: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /** Blocks the main thread until the JVM is told to stop. */
    public static void park(Vertx vertx) {
        CountDownLatch never = new CountDownLatch(1);
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Logger.getLogger("piranha.nanny").fine("interrupted");
            vertx.close();
        }
    }
}
