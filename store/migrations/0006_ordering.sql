-- posbridge schema 6: the scan-to-order channel (issue 15). The channel's own
-- record of each order the phones placed: what the customer saw, the take
-- code and the status the phone follows. bridge keeps its order under the
-- same trade_no; placed_at says it was handed over (0 = hand it over again
-- after a crash).
CREATE TABLE ordering_orders (
    id              INTEGER PRIMARY KEY,         -- the seed's integer id (§6.0)
    restaurant_id   INTEGER NOT NULL,
    store_id        TEXT    NOT NULL,
    trade_no        TEXT    NOT NULL UNIQUE,     -- digits; the console's order code
    table_id        INTEGER NOT NULL,
    table_name      TEXT    NOT NULL DEFAULT '',
    eat_type        INTEGER NOT NULL,
    status          INTEGER NOT NULL,            -- seed §6.1: 1 待商家确认 … 9 已完成, -2 商家取消
    status_note     TEXT    NOT NULL DEFAULT '', -- the sentence the phone shows with the status
    take_code       TEXT    NOT NULL DEFAULT '', -- per restaurant and business day; '' for delivery
    business_day    TEXT    NOT NULL,            -- YYYY-MM-DD in the restaurant's zone
    customer_count  INTEGER NOT NULL DEFAULT 0,
    total_fee       INTEGER NOT NULL,            -- fen
    view_token_hash TEXT    NOT NULL,            -- sha256 of the view_token the creator got
    order_json      TEXT    NOT NULL,            -- the order as priced and as the customer saw it
    client_addr     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    placed_at       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ordering_orders_table ON ordering_orders(restaurant_id, table_id, created_at);
CREATE INDEX ordering_orders_take ON ordering_orders(restaurant_id, business_day, take_code);
CREATE INDEX ordering_orders_unplaced ON ordering_orders(placed_at) WHERE placed_at = 0;
CREATE INDEX ordering_orders_open ON ordering_orders(status, created_at) WHERE status IN (0, 1, 2, 3, 4, 5);

-- Idempotency-Key of a create (a UUID the page keeps until it has the
-- reply): the same key and body answer the same order, another body 409.
CREATE TABLE ordering_idempotency (
    restaurant_id INTEGER NOT NULL,
    key           TEXT    NOT NULL,
    body_hash     TEXT    NOT NULL,
    order_id      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (restaurant_id, key)
);
CREATE INDEX ordering_idempotency_age ON ordering_idempotency(created_at);

-- The last take code given per restaurant and business day.
CREATE TABLE ordering_take_codes (
    restaurant_id INTEGER NOT NULL,
    business_day  TEXT    NOT NULL,
    last_code     INTEGER NOT NULL,
    PRIMARY KEY (restaurant_id, business_day)
);

-- A real table's meal: open from its first order until staff clear the
-- table or four hours pass without an order. 开台消费 is charged once per meal.
CREATE TABLE ordering_tables (
    restaurant_id   INTEGER NOT NULL,
    table_id        INTEGER NOT NULL,
    meal_started_at INTEGER NOT NULL,
    last_order_at   INTEGER NOT NULL,
    PRIMARY KEY (restaurant_id, table_id)
);
