package org.stratum4j.examples.payout;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.payout.PayoutPlan;

/**
 * The payout side of the share store's database (schema version 3): the PPLNS window over every
 * instance's shares, the carried balances, and each found block's payouts. Statements only: the
 * caller owns the connection and its thread.
 */
public final class PayoutLedger {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutLedger.class);

    /*
     * The newest shares first (one order for every process: time, then instance, then journal
     * offset), each counted while the difficulty before it is below the window's size, the one
     * that crosses it only in part: Pplns.window, in SQL. The scan starts at the 10-minute bucket
     * where the rollups say the window begins, so a day of shares is not sorted for an hour's
     * window.
     */
    private static final String WINDOW = "WITH buckets AS ("
            + "  SELECT bucket, sum(sum(difficulty)) OVER (ORDER BY bucket DESC) AS upto FROM worker_stats GROUP BY bucket),"
            + " start AS (SELECT coalesce(max(bucket), '-infinity') AS at FROM buckets WHERE upto >= ?),"
            + " newest AS ("
            + "  SELECT worker, difficulty, sum(difficulty) OVER (ORDER BY created_at DESC, instance_id DESC, seq DESC"
            + "   ROWS UNBOUNDED PRECEDING) - difficulty AS before FROM shares WHERE created_at >= (SELECT at FROM start))"
            + " SELECT split_part(worker, '.', 1) AS address, sum(least(difficulty, ? - before)) FROM newest WHERE before < ?"
            + " GROUP BY 1";

    private PayoutLedger() {
    }

    /**
     * Each address's credit in the window of {@code size} difficulty (the address is the user
     * name up to its first dot). Names that are not addresses on {@code network} are left out,
     * with a WARN: authorize refuses them, so they are shares from before payouts were on.
     */
    public static Map<Address, BigDecimal> window(Connection c, BigDecimal size, Network network) throws SQLException {
        if (Objects.requireNonNull(size, "size").signum() <= 0) {
            throw new IllegalArgumentException("PPLNS window size " + size + " must be positive");
        }
        Map<Address, BigDecimal> credits = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(WINDOW)) {
            // worker_stats.difficulty is a double: the bucket bound is found a little early rather than late.
            p.setDouble(1, size.doubleValue() * (1 - 1e-9));
            p.setBigDecimal(2, size);
            p.setBigDecimal(3, size);
            try (ResultSet r = p.executeQuery()) {
                int skipped = 0;
                while (r.next()) {
                    Address a = address(r.getString(1), network);
                    if (a == null) {
                        skipped++;
                    } else {
                        credits.merge(a, r.getBigDecimal(2), BigDecimal::add);
                    }
                }
                if (skipped > 0) {
                    LOG.warn("PPLNS window: {} user names in it are not {} addresses; their shares earn nothing", skipped, network.id());
                }
            }
        }
        return credits;
    }

    /** The carried balance of every address that has one. */
    public static Map<Address, Long> balances(Connection c, Network network) throws SQLException {
        Map<Address, Long> balances = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT address, balance FROM payout_balances WHERE balance > 0");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                Address a = address(r.getString(1), network);
                if (a != null) {
                    balances.put(a, r.getLong(2));
                }
            }
        }
        return balances;
    }

    /**
     * One block's part of an address's earnings.
     *
     * @param blockHash   the block (display hex)
     * @param height      its height, when known
     * @param foundAt     when it was found
     * @param earned      what the address earned in it (satoshis)
     * @param paid        what its coinbase paid the address (earnings and balance), or 0 when carried
     * @param carriedOut  the balance the address kept after it
     * @param status      the block's status ({@code submitted}, {@code pending}, {@code confirmed}, …) or {@code void}
     * @param confirmations confirmations on the chain
     */
    public record Earning(String blockHash, Long height, Instant foundAt, long earned, long paid, long carriedOut, String status,
                          int confirmations) {
    }

    /** {@code address}'s most recent earnings, newest first, at most {@code limit}. */
    public static List<Earning> earnings(Connection c, Address address, int limit) throws SQLException {
        List<Earning> out = new java.util.ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT block_hash, height, created_at, earned, paid, carried_out, status,"
                + " confirmations FROM address_earnings WHERE address = ? ORDER BY created_at DESC, block_hash LIMIT ?")) {
            p.setString(1, address.text());
            p.setInt(2, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long height = r.getLong(2);
                    out.add(new Earning(r.getString(1), r.wasNull() ? null : height, r.getTimestamp(3).toInstant(), r.getLong(4),
                            r.getLong(5), r.getLong(6), r.getString(7), r.getInt(8)));
                }
            }
        }
        return out;
    }

    private static Address address(String text, Network network) {
        try {
            return Address.parse(text, network);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Records the payouts of the block {@code hash} as {@code plan} made its coinbase, in one
     * transaction: the block's value, fee and pool output; a row per payee; and the balances
     * moved. The block's row is made (as {@code submitted}) if the share that found it has not
     * reached the database yet; a block already refused or orphaned is recorded void and moves no
     * balance. Recording the same block twice changes nothing.
     *
     * @return false when the block's payouts were already recorded
     */
    public static boolean recordBlock(Connection c, String hash, String worker, int instanceId, Instant foundAt, PayoutPlan plan)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO blocks (hash, worker, instance_id, created_at, status, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'submitted', now()) ON CONFLICT (hash) DO NOTHING")) {
                p.setString(1, hash);
                p.setString(2, worker);
                p.setInt(3, instanceId);
                p.setTimestamp(4, Timestamp.from(foundAt));
                p.executeUpdate();
            }
            boolean dead;
            try (PreparedStatement p = c.prepareStatement("SELECT status IN ('orphaned', 'rejected'), coinbase_value IS NOT NULL"
                    + " FROM blocks WHERE hash = ? FOR UPDATE")) {
                p.setString(1, hash);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (r.getBoolean(2)) {
                        c.rollback();
                        return false;
                    }
                    dead = r.getBoolean(1);
                }
            }
            // A block the node has already refused (or that is already off the chain) is recorded void: it moves no balance.
            try (PreparedStatement p = c.prepareStatement("UPDATE blocks SET coinbase_value = ?, fee = ?, pool_output = ?,"
                    + " payouts_void = ?, updated_at = now() WHERE hash = ?")) {
                p.setLong(1, plan.coinbaseValue());
                p.setLong(2, plan.fee());
                p.setLong(3, plan.poolOutput());
                p.setBoolean(4, dead);
                p.setString(5, hash);
                p.executeUpdate();
            }
            List<PayoutPlan.Payee> payees = plan.payees();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO block_payouts (block_hash, address, credit, earned, carried_in,"
                    + " paid, carried_out, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                int output = 0;
                for (PayoutPlan.Payee payee : payees) {
                    p.setString(1, hash);
                    p.setString(2, payee.address().text());
                    p.setBigDecimal(3, payee.credit());
                    p.setLong(4, payee.earned());
                    p.setLong(5, payee.carriedIn());
                    p.setLong(6, payee.paid());
                    p.setLong(7, payee.carriedOut());
                    if (payee.paid() > 0) {
                        p.setInt(8, output++);
                    } else {
                        p.setNull(8, java.sql.Types.INTEGER);
                    }
                    p.addBatch();
                }
                p.executeBatch();
            }
            // Balances move by what the block did to them (carried out − carried in), in address order (no deadlocks).
            try (PreparedStatement p = c.prepareStatement("INSERT INTO payout_balances AS b (address, balance, updated_at)"
                    + " VALUES (?, greatest(0, ?), now())"
                    + " ON CONFLICT (address) DO UPDATE SET balance = greatest(0, b.balance + ?), updated_at = now()")) {
                List<PayoutPlan.Payee> moved = new java.util.ArrayList<>(dead ? List.of() : payees);
                moved.removeIf(x -> x.carriedOut() == x.carriedIn());
                moved.sort(java.util.Comparator.comparing(x -> x.address().text()));
                for (PayoutPlan.Payee payee : moved) {
                    long delta = payee.carriedOut() - payee.carriedIn();
                    p.setString(1, payee.address().text());
                    p.setLong(2, delta);
                    p.setLong(3, delta);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
