package piranha.pulse.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import piranha.lvscf.Diagnostic;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.ScriptSecurity;
import piranha.lvscf.model.AddressDevice;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.Protocol;
import piranha.lvscf.model.ServiceMode;
import piranha.lvscf.model.VirtualService;
import piranha.pulse.fos.FailoverService;
import piranha.pulse.fos.TrackedCheck;

/** pulse's settings from lvs.cf, read by the project's lvs.cf library (lvscf). */
public final class LvsCfSource implements PulseConfigSource {

    /**
     * A file pulse accepted: its settings, its stamp (serial_no, SHA-256 of the bytes read) and
     * {@code config_sync}.
     */
    public record Loaded(PulseConfig config, ConfigStamp stamp, boolean configSync,
                         List<piranha.pulse.group.VipGroups.Spec> vipGroups) {
        public Loaded(PulseConfig config, ConfigStamp stamp, boolean configSync) {
            this(config, stamp, configSync, List.of());
        }

        public Loaded {
            vipGroups = List.copyOf(vipGroups);
        }
    }

    @Override
    public PulseConfig load(Path lvsCf) throws ConfigException {
        return read(lvsCf).config();
    }

    /** Reads lvs.cf once and checks it as {@link #check} does. */
    public Loaded read(Path lvsCf) throws ConfigException {
        return check(lvsCf, bytes(lvsCf));
    }

    /**
     * lvs.cf read, parsed and passed as pulse requires of any file it runs: no errors, no program
     * run as root that others could change. The active-active director's reading.
     */
    public static LvsCfDocument readChecked(Path lvsCf) throws ConfigException {
        return checked(parse(lvsCf, bytes(lvsCf)));
    }

    private static byte[] bytes(Path lvsCf) throws ConfigException {
        try {
            return LvsCfFiles.readBytes(lvsCf);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + lvsCf + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new ConfigException("cannot read " + lvsCf + ": " + tooLarge(lvsCf));
        }
    }

    private static LvsCfDocument parse(Path lvsCf, byte[] bytes) throws ConfigException {
        try {
            return LvsCfFiles.parse(lvsCf, bytes, piranha.lvscf.HostResolver.SYSTEM);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + lvsCf + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            // Everything the failed read allocated is garbage now: say so instead of dying with a trace.
            throw new ConfigException("cannot read " + lvsCf + ": " + tooLarge(lvsCf));
        }
    }

    private static LvsCfDocument checked(LvsCfDocument doc) throws ConfigException {
        if (doc.hasErrors()) {
            throw new ConfigException(String.join("\n", doc.errors().stream().map(Diagnostic::toString).toList()));
        }
        List<Diagnostic> unsafe = ScriptSecurity.check(doc);
        if (!unsafe.isEmpty()) {
            throw new ConfigException(String.join("\n", unsafe.stream().map(Diagnostic::toString).toList()));
        }
        return doc;
    }

    /**
     * pulse's check of lvs.cf's bytes as if they were the file {@code lvsCf} (errors name it and
     * their line): what a reload applies, and what a file received from the partner must pass
     * before it is written.
     */
    public Loaded check(Path lvsCf, byte[] bytes) throws ConfigException {
        LvsCfDocument doc = parse(lvsCf, bytes);
        Globals globals = doc.config().globals();
        return new Loaded(build(lvsCf, doc), ConfigStamp.of(globals.serialNo(), bytes),
                (Boolean) globals.value("config_sync"), piranha.pulse.group.VipGroups.specs(doc));
    }

    private PulseConfig build(Path lvsCf, LvsCfDocument doc) throws ConfigException {
        checked(doc);
        Globals g = doc.config().globals();
        boolean fos = g.service() == ServiceMode.FOS;
        List<VirtualService> carried = fos
                ? doc.config().failovers().stream().filter(VirtualService::active).toList()
                : doc.config().activeVirtuals();
        InetAddress primary = g.primary().map(Host::address)
                .orElseThrow(() -> new ConfigException(lvsCf + ": primary is not set: pulse cannot tell which director it is"));
        List<PulseConfig.HostAddress> vips = new ArrayList<>();
        List<FailoverService> failovers = new ArrayList<>();
        if (fos) {
            for (VirtualService f : doc.config().failovers()) {
                if (!f.active()) continue;
                AddressDevice a = f.address().orElseThrow(() -> new ConfigException(lvsCf + ":"
                        + f.header().line() + ": failover " + f.name() + " has no address"));
                InetAddress address = a.address();
                vips.add(new PulseConfig.HostAddress(f.name(), address, a.device(), mask(f.vipPrefix(), address)));
                failovers.add(new FailoverService(f.name(), address, f.port(), f.protocol() == Protocol.UDP,
                        f.send().orElse(null), f.expect().orElse(null), f.useRegex(), f.timeout(),
                        f.isSet("fall") ? (Integer) f.value("fall") : 1,
                        FailoverService.argv((String) f.value("start_cmd")), FailoverService.argv((String) f.value("stop_cmd"))));
            }
            if (failovers.isEmpty()) throw new ConfigException(lvsCf + ": service = fos but no active failover services defined");
        } else {
            for (VirtualService v : doc.config().activeVirtuals()) {
                v.address().ifPresent(a -> vips.add(new PulseConfig.HostAddress(v.name(), a.address(),
                        a.device(), mask(v.vipPrefix(), a.address()))));
            }
        }
        AddressDevice nat = g.natRouter().orElse(null);
        PulseConfig.Extensions ext = new PulseConfig.Extensions(
                g.isSet("heartbeat_key_file") ? Path.of((String) g.value("heartbeat_key_file")) : null,
                (Duration) g.value("giveback_delay"),
                (Integer) g.value("garp_count"),
                (Duration) g.value("garp_interval"),
                (Duration) g.value("hook_timeout"),
                (Duration) g.value("lvsd_ready_timeout"),
                (Boolean) g.value("lvsd_warm_standby"),
                g.scriptUser().orElse(null),
                g.pulseMetrics(), g.notifyPrograms(), g.notifyTimeout());
        try {
            return new PulseConfig(primary, g.backup().map(Host::address).orElse(null),
                    g.primaryPrivate().map(Host::address).orElse(null),
                    g.backupPrivate().map(Host::address).orElse(null),
                    g.backupActive(), g.heartbeatPort(), g.keepalive(), g.deadtime(), g.network().keyword(),
                    nat == null || fos ? null : new PulseConfig.HostAddress("nat_router", nat.address(), nat.device(), null),
                    nat == null ? null : mask(g.natPrefix(), nat.address()), vips, g.activeCmd().orElse(null), g.inactiveCmd().orElse(null),
                    g.monitorLinks(), g.syncdaemon(), g.syncdIface(), g.syncdId(), g.ipvsadm(), g.backend().keyword(), ext, failovers,
                    tracks(doc));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(lvsCf + ": " + e.getMessage());
        }
    }

    /** The track blocks, as the validator has passed them (one probe key each). */
    private static List<TrackedCheck> tracks(LvsCfDocument doc) {
        List<TrackedCheck> out = new ArrayList<>();
        for (piranha.lvscf.model.Track t : doc.config().tracks()) {
            String key = t.probe().orElseThrow();
            out.add(new TrackedCheck(t.name(), TrackedCheck.Probe.of(key), (String) t.value(key), t.interval(), t.timeout(),
                    t.fall(), t.rise()));
        }
        return out;
    }

    /**
     * A dotted netmask or a prefix length as the netmask pulse plumbs with, of the address's family
     * (vip_nmask / nat_nmask: a prefix length for IPv6); null when unspecified.
     */
    private static InetAddress mask(java.util.OptionalInt prefix, InetAddress of) {
        if (prefix.isEmpty()) {
            return null;
        }
        byte[] m = new byte[of.getAddress().length];
        for (int i = 0; i < prefix.getAsInt() && i < m.length * 8; i++) m[i / 8] |= (byte) (0x80 >>> (i % 8));
        try {
            return InetAddress.getByAddress(m);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    private static String tooLarge(Path lvsCf) {
        long size;
        try {
            size = java.nio.file.Files.size(lvsCf);
        } catch (IOException e) {
            size = -1;
        }
        return String.format("its %,d bytes need more memory than pulse's heap of %d MB; give pulse a larger one"
                + " (JAVA_OPTS=-Xmx..., about 25 times the file's size)", size, Runtime.getRuntime().maxMemory() >> 20);
    }
}
