-- posbridge schema 16: paying with a member card and topping one up online
-- (issue 18). A card payment of a scan-to-order order is one row here and
-- one ledger row, committed together; a top-up's tries at the payment
-- provider are rows of member_deposit_attempts (a new try after a failure
-- needs a new trade number at 钱方 and 收钱吧).

CREATE TABLE member_order_payments (
    order_id     INTEGER PRIMARY KEY,          -- ordering_orders.id
    restaurant_id INTEGER NOT NULL,
    customer_id  TEXT    NOT NULL,
    card_id      INTEGER NOT NULL REFERENCES member_cards(id),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    ledger_id    INTEGER NOT NULL REFERENCES member_ledger(id),
    points       INTEGER NOT NULL DEFAULT 0,   -- earned by the payment
    paid_at      INTEGER NOT NULL
);
CREATE INDEX member_order_payments_customer ON member_order_payments(restaurant_id, customer_id);

CREATE TABLE member_deposit_attempts (
    trade_no          TEXT    PRIMARY KEY,     -- ours: the provider's idempotency key
    deposit_id        INTEGER NOT NULL REFERENCES member_deposits(id),
    provider          TEXT    NOT NULL,
    amount_fen        INTEGER NOT NULL CHECK (amount_fen > 0),
    provider_trade_no TEXT    NOT NULL DEFAULT '',
    pay_url           TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL
);
CREATE INDEX member_deposit_attempts_deposit ON member_deposit_attempts(deposit_id, created_at);
