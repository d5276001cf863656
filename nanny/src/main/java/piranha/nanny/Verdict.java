package piranha.nanny;

import java.time.Duration;

/**
 * A change a nanny asks for: real server {@code realServer} should now be {@code state} with
 * {@code weight}. lvsd applies it to the table; the nanny never touches the table itself.
 *
 * @param realServer "RIP:RPORT"
 * @param state      the new state
 * @param weight     the weight the table should hold (0 when DOWN or QUIESCED)
 * @param reason     why, for operators ("connect to 198.51.100.21:80 timed out after 6 s")
 * @param latency    duration of the check that led to it (zero for operator overrides)
 */
public record Verdict(String realServer, HealthState state, int weight, String reason, Duration latency) {
}
