-- posbridge schema 19: a top-up refunded through its payment provider
-- (issue 18, console). The card is debited and the row queued in one
-- transaction; the row is the outbox: its refund_no is the provider's
-- idempotency key on every try, and one top-up has at most one refund.

CREATE TABLE member_deposit_refunds (
    id                 INTEGER PRIMARY KEY,
    deposit_id         INTEGER NOT NULL UNIQUE REFERENCES member_deposits(id),
    refund_no          TEXT    NOT NULL UNIQUE,
    trade_no           TEXT    NOT NULL,          -- the paid attempt
    amount_fen         INTEGER NOT NULL CHECK (amount_fen > 0),
    actor              TEXT    NOT NULL,
    reason             TEXT    NOT NULL,
    state              TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    tries              INTEGER NOT NULL DEFAULT 0,
    next_at            INTEGER NOT NULL,
    provider_refund_no TEXT    NOT NULL DEFAULT '',
    detail             TEXT    NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX member_deposit_refunds_due ON member_deposit_refunds(state, next_at);
