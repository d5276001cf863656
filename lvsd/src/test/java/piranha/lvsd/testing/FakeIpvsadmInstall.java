package piranha.lvsd.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** A stand-in ipvsadm executable in a test's directory, with its table and its call log. */
public final class FakeIpvsadmInstall {
    private final Path binary;
    private final Path state;
    private final Path log;

    private FakeIpvsadmInstall(Path dir) {
        this.binary = dir.resolve("ipvsadm");
        this.state = dir.resolve("ipvsadm.state");
        this.log = dir.resolve("ipvsadm.log");
    }

    /** Writes {@code dir/ipvsadm}, a script that runs {@link FakeIpvsadm} on this test's class path. */
    public static FakeIpvsadmInstall in(Path dir) throws IOException {
        FakeIpvsadmInstall f = new FakeIpvsadmInstall(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/bin/sh\n"
                + "IPVSADM_STATE='" + f.state + "' IPVSADM_LOG='" + f.log + "' exec '" + java + "'"
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '" + System.getProperty("java.class.path") + "'"
                + " piranha.lvsd.testing.FakeIpvsadm \"$@\"\n";
        Files.writeString(f.binary, script);
        Files.setPosixFilePermissions(f.binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    public String path() {
        return binary.toString();
    }

    /** Every invocation so far, one line each ({@code -R| } lines for the rules of a batch). */
    public List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    public void clearCalls() throws IOException {
        Files.deleteIfExists(log);
    }

    /** The table in ipvsadm's save format, as {@code ipvsadm -S -n} prints it. */
    public List<String> table() throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.exists(state)) {
            for (String l : Files.readAllLines(state)) {
                if (!l.startsWith("#")) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    /** Changes the table behind lvsd's back, as an operator with ipvsadm would. */
    public void setTable(List<String> saveLines) throws IOException {
        List<String> keep = new ArrayList<>();
        if (Files.exists(state)) {
            for (String l : Files.readAllLines(state)) {
                if (l.startsWith("#")) {
                    keep.add(l);
                }
            }
        }
        keep.addAll(saveLines);
        Files.write(state, keep);
    }

    /** Makes every invocation whose arguments match {@code regex} fail; null to stop. */
    public void failWhen(String regex) throws IOException {
        Path f = Path.of(state + ".fail");
        if (regex == null) {
            Files.deleteIfExists(f);
        } else {
            Files.writeString(f, regex);
        }
    }

    public Path state() {
        return state;
    }
}
