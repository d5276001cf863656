package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived's enable_script_security: a program that a user other than root could change is not
 * run as root. The test directory is made root's own (or, without root, the findings name its owner).
 */
class ScriptSecurityTest {
    @TempDir
    Path dir;
    Path safe;
    boolean root;

    @BeforeEach
    void setUp() throws Exception {
        root = ScriptSecurity.processRunsAsRoot();
        safe = Files.createDirectory(dir.resolve("safe"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private Path script(Path in) throws Exception {
        Path p = in.resolve("hook.sh");
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private List<String> check(String text, boolean asRoot) {
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", text, HostResolver.NUMERIC_ONLY);
        assertThat(doc.errors()).isEmpty();
        return ScriptSecurity.check(doc, asRoot).stream().map(Diagnostic::toString).toList();
    }

    /** A directory every user may write to, without the sticky bit. */
    private Path openDirectory() throws Exception {
        Path open = Files.createDirectory(safe.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        return open;
    }

    private static String globals(String extra) {
        return "serial_no = 1\nprimary = 192.0.2.1\nservice = lvs\nipvsadm = /usr/sbin/ipvsadm\n" + extra;
    }

    @Test
    void aHookInADirectoryEveryUserMayWriteIsRefusedAtItsKey() throws Exception {
        assumeTrue(root, "needs root: the files must belong to root");
        Path open = openDirectory();
        Path hook = script(open);
        assertThat(check(globals("active_cmd = \"" + hook + " up\"\n"), true)).containsExactly("lvs.cf:5:14: error: active_cmd: "
                + hook + " would run as root, but " + open + " is writable by every user; make it and its directories"
                + " writable by root only, or set script_user");
        // A program that does not exist yet in such a directory is refused too: anyone could create it.
        assertThat(check(globals("inactive_cmd = " + open.resolve("later.sh") + "\n"), true)).hasSize(1);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(check(globals("active_cmd = \"" + hook + " up\"\n"), true)).isEmpty();
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(check(globals("active_cmd = " + hook + "\n"), true))
                .containsExactly("lvs.cf:5:14: error: active_cmd: " + hook + " would run as root, but " + hook
                        + " is writable by every user; make it and its directories writable by root only, or set script_user");
    }

    @Test
    void aFailoverServicesStartCmdInAnOpenDirectoryIsRefusedEvenWithScriptUser() throws Exception {
        assumeTrue(root, "needs root: the files must belong to root");
        Path open = openDirectory();
        Path start = script(open);
        String fos = "serial_no = 1\nprimary = 192.0.2.1\nservice = fos\nipvsadm = /usr/sbin/ipvsadm\n"
                + "script_user = nobody\nfailover web {\n active = 1\n address = 192.0.2.100 eth0:1\n port = 80\n"
                + " start_cmd = \"" + start + " -c conf\"\n}\n";
        assertThat(check(fos, true)).singleElement().asString().startsWith("lvs.cf:10:14: error: start_cmd: " + start
                + " would run as root, but " + open + " is writable by every user");
        // an inactive block's commands never run
        assertThat(check(fos.replace("active = 1", "active = 0")
                + "failover dns {\n active = 1\n address = 192.0.2.101 eth0:2\n port = 53\n}\n", true)).isEmpty();
    }

    @Test
    void ownersAndGroupsOtherThanRootAreRefused() throws Exception {
        assumeTrue(root, "needs root: chown");
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Path hook = script(safe);
        Files.setOwner(hook, users.lookupPrincipalByName("nobody"));
        assertThat(check(globals("active_cmd = " + hook + "\n"), true)).singleElement().asString()
                .contains("but " + hook + " belongs to nobody");
        Files.setOwner(hook, users.lookupPrincipalByName("root"));
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName(Files.exists(Path.of("/etc/group"))
                && Files.readString(Path.of("/etc/group")).contains("\nnogroup:") ? "nogroup" : "nobody");
        Files.getFileAttributeView(safe, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(nogroup);
        Files.setPosixFilePermissions(safe, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(check(globals("active_cmd = " + hook + "\n"), true)).singleElement().asString()
                .contains("but " + safe + " is writable by group " + nogroup.getName());
    }

    @Test
    void aStickyDirectoryLikeTmpIsSafeForRootsOwnFiles() throws Exception {
        assumeTrue(root, "needs root: the files must belong to root");
        Path tmp = Files.createDirectory(safe.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path inner = Files.createDirectory(tmp.resolve("hooks"));
        assertThat(check(globals("active_cmd = " + script(inner) + "\n"), true)).isEmpty();
        assertThat(check(globals("active_cmd = " + tmp.resolve("nothing-yet.sh") + "\n"), true)).singleElement().asString()
                .contains("but " + tmp.resolve("nothing-yet.sh") + " does not exist and " + tmp + " lets other users create it");
    }

    @Test
    void aLinkIsJudgedByWhereItLeads() throws Exception {
        assumeTrue(root, "needs root: the files must belong to root");
        Path open = openDirectory();
        Path target = script(open);
        Path link = Files.createSymbolicLink(safe.resolve("hook"), target);
        assertThat(check(globals("active_cmd = " + link + "\n"), true)).singleElement().asString()
                .contains("active_cmd: " + link + " would run as root, but " + open + " is writable by every user");
    }

    @Test
    void everyProgramOfAnActiveServiceIsChecked() throws Exception {
        String prefix = root ? "" : "(as another user) ";
        Path open = openDirectory();
        Path check = script(open);
        String text = globals("") + "virtual web {\n active = 1\n address = 192.0.2.10 eth0:1\n send_program = \"" + check
                + " %h\"\n load_monitor = " + check + "\n}\nvirtual off {\n send_program = " + check + "\n}\n";
        List<String> found = check(text, true);
        assertThat(found).as(prefix).hasSize(2);
        assertThat(found.get(0)).startsWith("lvs.cf:8:17: error: send_program: " + check + " would run as root");
        assertThat(found.get(1)).startsWith("lvs.cf:9:17: error: load_monitor: " + check + " would run as root");
        assertThat(check(text, false)).as("a daemon that is not root runs nothing as root").isEmpty();
    }

    @Test
    void scriptUserTakesTheScriptsOffRootButNotIpvsadm() throws Exception {
        Path open = openDirectory();
        Path hook = script(open);
        assertThat(check(globals("script_user = nobody\nactive_cmd = " + hook + "\n"), true)).isEmpty();
        assertThat(check("primary = 192.0.2.1\nscript_user = nobody\nipvsadm = " + hook + "\n", true)).singleElement()
                .asString().startsWith("lvs.cf:3:11: error: ipvsadm: " + hook + " would run as root");
        assertThat(check(globals("script_user = root\nactive_cmd = " + hook + "\n"), true)).hasSize(1);
    }

    @Test
    void scriptUserMustBeAUserOfThisHost() {
        assertThat(check(globals("script_user = no-such-user-here\n"), false))
                .containsExactly("lvs.cf:5:15: error: script_user: no user 'no-such-user-here' on this host");
        LvsCfDocument bad = LvsCfDocument.parse("lvs.cf", globals("script_user = \"a b\"\n"), HostResolver.NUMERIC_ONLY);
        assertThat(bad.errors()).extracting(Diagnostic::toString)
                .containsExactly("lvs.cf:5:15: error: script_user: 'a b' is not a user name (a letter or '_', then letters,"
                        + " digits, '_', '.' or '-', at most 32)");
    }
}
