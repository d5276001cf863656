package piranha.lvsd;

import java.nio.file.Path;

import piranha.lvscf.LvsCfFiles;

/**
 * The plain forms of {@code lvsd --check} ({@code --check}, {@code --dump}, {@code -c FILE} /
 * {@code --configfile FILE|=FILE}, each at most once, in any order), read without picocli. A check
 * runs from scripts, the RPM's scriptlets and before reloads, and is mostly the JVM's start: picocli's
 * set-up (reflection over the options, its converters, annotation proxies) took ~100 ms of it,
 * the check itself ~20 ms (BENCHMARKS.md). Anything else (help, another option, a repeated one,
 * a missing value) is left to picocli, which parses, explains and refuses as before.
 */
record QuickCheck(Path file, boolean dump) {

    /** The check these arguments ask for, or null when picocli is to read them. */
    static QuickCheck of(String[] args) {
        boolean check = false;
        boolean dump = false;
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--check") && !check) {
                check = true;
            } else if (a.equals("--dump") && !dump) {
                dump = true;
            } else if ((a.equals("-c") || a.equals("--configfile")) && file == null && i + 1 < args.length
                    && !args[i + 1].startsWith("-")) {
                file = args[++i];
            } else if (a.startsWith("--configfile=") && file == null && a.length() > "--configfile=".length()) {
                file = a.substring("--configfile=".length());
            } else {
                return null;
            }
        }
        return check ? new QuickCheck(file == null ? LvsCfFiles.DEFAULT : Path.of(file), dump) : null;
    }
}
