package piranha.nanny;

import java.time.Duration;
import piranha.nanny.check.CheckResult;

/**
 * A nanny's state at one moment, for status displays and the control socket.
 *
 * @param realServer      "RIP:RPORT"
 * @param state           current health state
 * @param weight          weight the table should hold now
 * @param mode            operator override in force
 * @param lastReason      reason of the last check (or override), null before the first
 * @param lastLatency     latency of the last check
 * @param checks          checks run
 * @param failures        checks failed
 * @param transitions     state changes (UP to DOWN/QUIESCED and back)
 * @param consecutiveGood good checks in a row (capped at the re-entry threshold while down)
 * @param lastCheckAtMillis when the last check ended, on the nanny's monotonic clock in ms; -1 before the first
 * @param checkKind       the check's kind (tcp, udp, send_program, http, https, dns, smtp, script), or null
 * @param lastDetail      what the last check's protocol said: status code, certificate expiry, weight
 * @param probeUsers      nannies sharing this nanny's probe (1: its own)
 */
public record NannySnapshot(String realServer, HealthState state, int weight, Mode mode, String lastReason,
                            Duration lastLatency, long checks, long failures, long transitions, int consecutiveGood,
                            long lastCheckAtMillis, String checkKind, CheckResult.Detail lastDetail, int probeUsers) {
}
