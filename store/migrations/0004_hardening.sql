-- posbridge schema 4: hardening (issue 13). Numbered after 0003: stores that ran the long-run schema are at version 3 already.

-- What a push that proved nothing (neither signed nor carrying push.token)
-- claimed about an order, until the platform confirms it (queryDetail,
-- batchOrderStatus, the refund poll). Nothing is done on a claim alone.
CREATE TABLE push_claims (
    order_code  TEXT PRIMARY KEY,
    change_json TEXT    NOT NULL,            -- the newest order.Change claimed
    inbox_id    INTEGER NOT NULL DEFAULT 0,
    first_at    INTEGER NOT NULL,
    next_at     INTEGER NOT NULL DEFAULT 0,  -- next confirmation attempt
    attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX push_claims_due ON push_claims(next_at);

-- Delivery orders whose address is still to be fetched: queryDetail carries
-- only longitude and latitude; the address is in historyOrders.
ALTER TABLE orders ADD COLUMN needs_address    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN address_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN address_next_at  INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_needs_address ON orders(needs_address, address_next_at) WHERE needs_address = 1;

-- Every attempt of a platform call goes out under an x-transaction-id of its
-- own (the documents: unique per request); all of them stay on the row,
-- space-separated, the first being tx_id.
ALTER TABLE outbox ADD COLUMN tx_ids TEXT NOT NULL DEFAULT '';
UPDATE outbox SET tx_ids = tx_id;

-- Offline (POS) orders by their keys: the thirdOrderCode of a store and the
-- Idempotency-Key a tool sent, so that the same order handed in twice is
-- uploaded once.
CREATE TABLE pos_keys (
    key         TEXT PRIMARY KEY,            -- third:<storeId>:<thirdOrderCode> | idem:<Idempotency-Key>
    outbox_id   INTEGER NOT NULL,
    body_hash   TEXT    NOT NULL,            -- of the request as handed in
    created_at  INTEGER NOT NULL
);

-- When this database was made (or upgraded to schema 2): doctor expects a
-- nightly backup once it is a day old.
INSERT OR IGNORE INTO meta(key, value) VALUES('created_at', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

-- Tickets of this order print marked 补打: it was first seen after a restore
-- from a backup, accepted before it, so they may have printed already.
ALTER TABLE orders ADD COLUMN print_marked INTEGER NOT NULL DEFAULT 0;
