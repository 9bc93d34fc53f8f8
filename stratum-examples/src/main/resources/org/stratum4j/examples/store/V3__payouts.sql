-- stratum4j share store, version 3: payouts in the coinbase (PPLNS), exact to the satoshi.

-- The PPLNS window reads the newest shares first, across every instance, in one fixed order.
CREATE INDEX shares_newest ON shares (created_at DESC, instance_id DESC, seq DESC);

-- What a found block's coinbase pays, recorded when the block is found.
ALTER TABLE blocks
    ADD COLUMN coinbase_value bigint,
    ADD COLUMN fee            bigint,
    ADD COLUMN pool_output    bigint,
    ADD COLUMN payouts_void   boolean NOT NULL DEFAULT false;

-- Each payee's movements in a block: its credit in the window, what it earned, the balance it
-- had, what the coinbase paid it and the balance it kept (all of it when not paid; when paid, what
-- it lent from its earnings to pay others' balances). The row balances on its own.
CREATE TABLE block_payouts (
    block_hash  text    NOT NULL REFERENCES blocks (hash),
    address     text    NOT NULL,
    credit      numeric NOT NULL,
    earned      bigint  NOT NULL CHECK (earned >= 0),
    carried_in  bigint  NOT NULL CHECK (carried_in >= 0),
    paid        bigint  NOT NULL CHECK (paid >= 0),
    carried_out bigint  NOT NULL CHECK (carried_out >= 0),
    output      integer,
    PRIMARY KEY (block_hash, address),
    CHECK (paid + carried_out = earned + carried_in)
);

CREATE INDEX block_payouts_address ON block_payouts (address);

-- Carried balances: what the pool's address holds for each payee, to be paid in a later coinbase.
CREATE TABLE payout_balances (
    address    text        PRIMARY KEY,
    balance    bigint      NOT NULL CHECK (balance >= 0),
    updated_at timestamptz NOT NULL
);

-- The payouts of a block that is orphaned, or that the node refused, are void and the balances it
-- moved are moved back, in the same transaction as the status change, whichever pool process
-- makes it.
CREATE FUNCTION stratum4j_void_orphaned_payouts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('orphaned', 'rejected') AND NOT OLD.payouts_void AND OLD.coinbase_value IS NOT NULL THEN
        INSERT INTO payout_balances AS b (address, balance, updated_at)
            SELECT address, greatest(0, carried_in - carried_out), now() FROM block_payouts WHERE block_hash = NEW.hash
                AND carried_in <> carried_out
            ORDER BY address
        ON CONFLICT (address) DO UPDATE SET balance = greatest(0, b.balance + (
            SELECT carried_in - carried_out FROM block_payouts WHERE block_hash = NEW.hash AND address = b.address)),
            updated_at = now();
        NEW.payouts_void := true;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER blocks_void_orphaned_payouts BEFORE UPDATE OF status ON blocks
    FOR EACH ROW EXECUTE FUNCTION stratum4j_void_orphaned_payouts();

-- Each address's earnings block by block, for pages and APIs: what the block credited, earned and
-- paid it, and where the block stands ('void' once its payouts are).
CREATE VIEW address_earnings AS
    SELECT p.address, b.hash AS block_hash, b.height, b.created_at, p.credit, p.earned, p.carried_in, p.paid, p.carried_out,
           CASE WHEN b.payouts_void THEN 'void' ELSE b.status END AS status, b.confirmations
    FROM block_payouts p JOIN blocks b ON b.hash = p.block_hash;
