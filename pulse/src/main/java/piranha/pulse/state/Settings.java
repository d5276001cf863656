package piranha.pulse.state;

import java.time.Duration;

/**
 * The machine's fixed inputs.
 *
 * @param primary       this node's role (its address is lvs.cf's primary)
 * @param hasBackup     backup_active = 1 and a backup address is set
 * @param deadtime      partner dead after this long without a valid heartbeat
 * @param forceActive   --forceactive: activate at start
 * @param givebackDelay extension: a standby primary takes over after the partner has been active this
 *                      long; null = never (Piranha)
 * @param ownNode       our public address as an int: breaks a tie between two nodes claiming one role
 * @param lvsdOnStandby lvsd_warm_standby (default 1): lvsd runs on the standby too, kept ready, so that a
 *                      takeover only moves the addresses; false: Piranha's cold standby, lvsd started at
 *                      activation and stopped at deactivation
 */
public record Settings(boolean primary, boolean hasBackup, Duration deadtime, boolean forceActive,
                       Duration givebackDelay, int ownNode, boolean lvsdOnStandby) {}
