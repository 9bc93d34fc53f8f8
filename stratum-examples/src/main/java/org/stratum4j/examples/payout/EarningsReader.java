package org.stratum4j.examples.payout;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.LazyConnection;

/**
 * Reads addresses' earnings from the payout ledger for the dashboard, on one connection of its own
 * (opened when first needed, again after a failure), each address's answer kept for 30 seconds
 * (at most 1,000 addresses), so that page views cannot load the database.
 */
public final class EarningsReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EarningsReader.class);
    static final Duration KEEP = Duration.ofSeconds(30);
    static final int KEPT_ADDRESSES = 1_000;
    static final int ROWS = 50;

    private record Cached(Instant readAt, List<PayoutLedger.Earning> rows) {
    }

    private final LazyConnection connection;
    private final Network network;
    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > KEPT_ADDRESSES;
        }
    };

    /** A reader of the ledger at {@code url}, for addresses of {@code network}. */
    public EarningsReader(DatabaseUrl url, Network network, Clock clock) {
        this.connection = new LazyConnection(url, "stratum4j-dashboard", true);
        this.network = Objects.requireNonNull(network, "network");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The newest earnings of {@code addressText} (at most 50); empty for a text that is no address of this network. */
    public synchronized List<PayoutLedger.Earning> of(String addressText) {
        Address address;
        try {
            address = Address.parse(addressText, network);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Instant now = clock.instant();
        Cached c = cache.get(addressText);
        if (c != null && c.readAt().plus(KEEP).isAfter(now)) {
            return c.rows();
        }
        try {
            List<PayoutLedger.Earning> rows = List.copyOf(PayoutLedger.earnings(connection.get(), address, ROWS));
            cache.put(addressText, new Cached(now, rows));
            return rows;
        } catch (SQLException e) {
            LOG.debug("dashboard: earnings of {} could not be read: {}", addressText, e.getMessage());
            connection.drop();
            return c == null ? List.of() : c.rows();
        }
    }

    @Override
    public synchronized void close() {
        connection.drop();
    }
}
