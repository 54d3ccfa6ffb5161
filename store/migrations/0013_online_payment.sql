-- posbridge schema 13: scan-to-order customers' orders and online payment
-- (issue 16). An order created while logged in belongs to its customer; an
-- order paid online waits at status 0 until a payment attempt is paid.

ALTER TABLE ordering_orders ADD COLUMN customer_id INTEGER NOT NULL DEFAULT 0; -- 0: anonymous
ALTER TABLE ordering_orders ADD COLUMN paid_type   INTEGER NOT NULL DEFAULT 1; -- seed §6.5: 1 offline, 2 WeChat, 3 member card
ALTER TABLE ordering_orders ADD COLUMN paid_at     INTEGER NOT NULL DEFAULT 0; -- 0: not paid online
CREATE INDEX ordering_orders_customer ON ordering_orders(customer_id, id) WHERE customer_id <> 0;
CREATE INDEX ordering_orders_unpaid ON ordering_orders(created_at) WHERE status = 0;

-- One try at paying one order online. trade_no is our idempotency key at the
-- provider (钱方 out_trade_no, 收钱吧 client_sn): every pay-url gets a new one.
CREATE TABLE ordering_payments (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES ordering_orders(id),
    provider          TEXT    NOT NULL,            -- qf | sqb | sandbox
    trade_no          TEXT    NOT NULL UNIQUE,
    amount_fen        INTEGER NOT NULL,
    provider_trade_no TEXT    NOT NULL DEFAULT '', -- 钱方 syssn, 收钱吧 sn
    channel_txn       TEXT    NOT NULL DEFAULT '', -- WeChat Pay's transaction id
    state             TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'paid', 'failed')),
    detail            TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    paid_at           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ordering_payments_order ON ordering_payments(order_id, id);
CREATE INDEX ordering_payments_pending ON ordering_payments(created_at) WHERE state = 'pending';

-- A refund of a paid attempt: an outbox row, retried with the same
-- refund_no until the provider says done or failed, never sent twice under
-- another number.
CREATE TABLE ordering_refunds (
    id                 INTEGER PRIMARY KEY,
    payment_id         INTEGER NOT NULL UNIQUE REFERENCES ordering_payments(id), -- whole refunds only: one per payment
    order_id           INTEGER NOT NULL,
    refund_no          TEXT    NOT NULL UNIQUE,
    amount_fen         INTEGER NOT NULL,
    reason             TEXT    NOT NULL,           -- late | duplicate | rejected | staff
    state              TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    provider_refund_no TEXT    NOT NULL DEFAULT '',
    detail             TEXT    NOT NULL DEFAULT '',
    tries              INTEGER NOT NULL DEFAULT 0,
    next_at            INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    done_at            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ordering_refunds_due ON ordering_refunds(next_at) WHERE state = 'pending';
