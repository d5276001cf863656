package piranha.pulse;

import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.state.Input;
import sun.misc.Signal;

/**
 * pulse's signals (pulse/README.md, "Signals"): SIGTERM and SIGINT go to the failover machine, which
 * deactivates and stops; SIGHUP rereads lvs.cf and tells lvsd by signal.
 */
final class SignalHandlers {
    private SignalHandlers() {}

    static void install(HeartbeatLoop loop, ConfigReload reload) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> loop.input(new Input.Terminate(s.getNumber())));
        }
        Signal.handle(new Signal("HUP"), s -> reload.reload(false, true));
    }
}
