package piranha.dataplane;

/** A forwarded TCP connection or UDP flow, as far as table operations need to know it. */
interface Forwarded {
    /** Ends it at once (expire_nodest_conn, service deletion with that policy, shutdown). */
    void expire();
}
