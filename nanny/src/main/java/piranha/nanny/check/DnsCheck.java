package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code check = dns}: ask the real server for {@code dns_name} of {@code dns_type} (over UDP for a
 * UDP service, TCP for a TCP one, with dnsjava, which also retries over TCP a truncated answer). It
 * passes on NOERROR with at least one answer record of that type, matching {@code dns_expect} when
 * set (searched in the record's data as {@code dig} prints it, e.g. {@code 10 mail.example.com.}).
 * NXDOMAIN, SERVFAIL, REFUSED and the like fail with their name; silence fails at the deadline.
 */
public final class DnsCheck implements Check {
    private final Vertx vertx;
    private final Target target;
    private final Name name;
    private final int type;
    private final Pattern expect;
    private final Duration timeout;
    private final SimpleResolver resolver;

    public DnsCheck(Vertx vertx, Target target, CheckSpec.Dns dns, boolean overTcp, Duration timeout) {
        this.vertx = vertx;
        this.target = target;
        try {
            this.name = Name.fromString(dns.name(), Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("dns_name: '" + dns.name() + "' is not a DNS name: " + e.getMessage());
        }
        this.type = Type.value(dns.type() == null ? "A" : dns.type());
        if (type < 0) {
            throw new IllegalArgumentException("dns_type: unknown record type '" + dns.type() + "'");
        }
        this.expect = dns.expect() == null ? null : Pattern.compile(dns.expect());
        this.timeout = timeout;
        // Real server addresses are IP literals: this does not query DNS.
        this.resolver = new SimpleResolver(new InetSocketAddress(target.host(), target.port()));
        resolver.setTimeout(timeout);
        resolver.setTCP(overTcp);
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        Context context = vertx.getOrCreateContext();
        Promise<CheckResult> result = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> result.tryComplete(CheckResult.fail("no DNS answer from "
                + target + " for " + question() + " within " + Seconds.show(timeout), "READ to " + target + " timed out",
                start)));
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        resolver.sendAsync(query, task -> context.runOnContext(v -> task.run())).whenComplete((answer, error) -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            result.tryComplete(error != null ? failed(error, start) : judge(answer, start));
        }));
        return result.future();
    }

    private String question() {
        return name + " " + Type.string(type);
    }

    private CheckResult failed(Throwable error, long start) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof java.util.concurrent.TimeoutException || e instanceof java.net.SocketTimeoutException) {
            return CheckResult.fail("no DNS answer from " + target + " for " + question() + " within "
                    + Seconds.show(timeout), "READ to " + target + " timed out", start);
        }
        return CheckResult.fail("DNS query " + question() + " to " + target + " failed: " + TcpFailures.message(e), start);
    }

    private CheckResult judge(Message answer, long start) {
        int rcode = answer.getRcode();
        CheckResult.Detail detail = CheckResult.Detail.code(rcode);
        if (rcode != Rcode.NOERROR) {
            return CheckResult.fail("DNS " + Rcode.string(rcode) + " from " + target + " for " + question(), start)
                    .with(detail);
        }
        List<Record> records = answer.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
        if (records.isEmpty()) {
            return CheckResult.fail("DNS NOERROR from " + target + " for " + question() + " but no " + Type.string(type)
                    + " record in the answer", start).with(detail);
        }
        for (Record r : records) {
            String data = r.rdataToString();
            if (expect == null || expect.matcher(data).find()) {
                return CheckResult.pass("DNS " + question() + " from " + target + ": " + show(data)
                        + (records.size() > 1 ? " (+" + (records.size() - 1) + " more)" : ""), start).with(detail);
            }
        }
        return CheckResult.fail("DNS " + question() + " from " + target + ": no answer matches '" + expect.pattern()
                + "' (got " + show(records.get(0).rdataToString()) + (records.size() > 1 ? ", ..." : "") + ")", start)
                .with(detail);
    }

    private static String show(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public String describe() {
        return "DNS " + question() + " " + target;
    }

    @Override
    public String kind() {
        return "dns";
    }
}
