package piranha.pulse.config;

import java.io.IOException;
import java.net.Inet4Address;
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

    @Override
    public PulseConfig load(Path lvsCf) throws ConfigException {
        LvsCfDocument doc;
        try {
            doc = LvsCfFiles.read(lvsCf);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + lvsCf + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            // Everything the failed read allocated is garbage now: say so instead of dying with a trace.
            throw new ConfigException("cannot read " + lvsCf + ": " + tooLarge(lvsCf));
        }
        if (doc.hasErrors()) {
            throw new ConfigException(String.join("\n", doc.errors().stream().map(Diagnostic::toString).toList()));
        }
        List<Diagnostic> unsafe = ScriptSecurity.check(doc);
        if (!unsafe.isEmpty()) {
            throw new ConfigException(String.join("\n", unsafe.stream().map(Diagnostic::toString).toList()));
        }
        Globals g = doc.config().globals();
        boolean fos = g.service() == ServiceMode.FOS;
        List<VirtualService> carried = fos
                ? doc.config().failovers().stream().filter(VirtualService::active).toList()
                : doc.config().activeVirtuals();
        refuseIpv6(lvsCf, g, carried, fos ? "failover " : "virtual ");
        Inet4Address primary = g.primary().map(h -> (Inet4Address) h.address())
                .orElseThrow(() -> new ConfigException(lvsCf + ": primary is not set: pulse cannot tell which director it is"));
        List<PulseConfig.HostAddress> vips = new ArrayList<>();
        List<FailoverService> failovers = new ArrayList<>();
        if (fos) {
            for (VirtualService f : doc.config().failovers()) {
                if (!f.active()) continue;
                AddressDevice a = f.address().orElseThrow(() -> new ConfigException(lvsCf + ":"
                        + f.header().line() + ": failover " + f.name() + " has no address"));
                Inet4Address address = (Inet4Address) a.address(); // refuseIpv6 has seen it
                vips.add(new PulseConfig.HostAddress(f.name(), address, a.device(), v4Mask(f.vipPrefix())));
                failovers.add(new FailoverService(f.name(), address, f.port(), f.protocol() == Protocol.UDP,
                        f.send().orElse(null), f.expect().orElse(null), f.useRegex(), f.timeout(),
                        f.isSet("fall") ? (Integer) f.value("fall") : 1,
                        FailoverService.argv((String) f.value("start_cmd")), FailoverService.argv((String) f.value("stop_cmd"))));
            }
            if (failovers.isEmpty()) throw new ConfigException(lvsCf + ": service = fos but no active failover services defined");
        } else {
            for (VirtualService v : doc.config().activeVirtuals()) {
                v.address().ifPresent(a -> vips.add(new PulseConfig.HostAddress(v.name(), (Inet4Address) a.address(),
                        a.device(), v4Mask(v.vipPrefix()))));
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
                g.pulseMetrics());
        try {
            return new PulseConfig(primary, g.backup().map(h -> (Inet4Address) h.address()).orElse(null),
                    g.primaryPrivate().map(h -> (Inet4Address) h.address()).orElse(null),
                    g.backupPrivate().map(h -> (Inet4Address) h.address()).orElse(null),
                    g.backupActive(), g.heartbeatPort(), g.keepalive(), g.deadtime(), g.network().keyword(),
                    nat == null || fos ? null : new PulseConfig.HostAddress("nat_router", (Inet4Address) nat.address(), nat.device(), null),
                    v4Mask(g.natPrefix()), vips, g.activeCmd().orElse(null), g.inactiveCmd().orElse(null),
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

    /** A dotted netmask or a prefix length as the IPv4 netmask pulse plumbs with; null when unspecified. */
    private static Inet4Address v4Mask(java.util.OptionalInt prefix) {
        if (prefix.isEmpty()) {
            return null;
        }
        int bits = prefix.getAsInt();
        return piranha.lvscf.model.Values.ipv4(bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL);
    }

    /**
     * pulse heartbeats, plumbs and announces IPv4 addresses only: an IPv6 director or VIP is refused
     * here with its key named, never half-applied.
     */
    private static void refuseIpv6(Path lvsCf, Globals g, List<VirtualService> virtuals, String kind) throws ConfigException {
        java.util.Map<String, java.net.InetAddress> used = new java.util.LinkedHashMap<>();
        g.primary().ifPresent(h -> used.put("primary", h.address()));
        g.backup().ifPresent(h -> used.put("backup", h.address()));
        g.primaryPrivate().ifPresent(h -> used.put("primary_private", h.address()));
        g.backupPrivate().ifPresent(h -> used.put("backup_private", h.address()));
        g.natRouter().ifPresent(a -> used.put("nat_router", a.address()));
        virtuals.forEach(v -> v.address().ifPresent(a -> used.put(kind + v.name() + " address", a.address())));
        for (var e : used.entrySet()) {
            if (!(e.getValue() instanceof Inet4Address)) {
                throw new ConfigException(lvsCf + ": " + e.getKey() + " " + piranha.lvscf.model.Values.text(e.getValue())
                        + " is IPv6: pulse takes over IPv4 addresses only; run lvsd directly for an IPv6 service");
            }
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
