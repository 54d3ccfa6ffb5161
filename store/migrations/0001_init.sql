-- posbridge schema 1. Times are Unix milliseconds (UTC); 0 = unknown.

-- Raw push bodies, committed before the push is acknowledged (invariant 1).
CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,             -- order | refund | delivery | event | poll
    order_code   TEXT    NOT NULL DEFAULT '',
    body         BLOB    NOT NULL,
    signed       INTEGER NOT NULL DEFAULT 0,
    remote       TEXT    NOT NULL DEFAULT '',
    received_at  INTEGER NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'pending', -- pending | done | failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT    NOT NULL DEFAULT '',
    done_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inbox_pending ON inbox(state, id);

-- Pushes we refused, kept for diagnosis; they never create an order.
CREATE TABLE rejected_pushes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    http_status INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    remote      TEXT    NOT NULL DEFAULT '',
    body        BLOB    NOT NULL,
    body_size   INTEGER NOT NULL,
    received_at INTEGER NOT NULL
);

CREATE TABLE orders (
    code                 TEXT PRIMARY KEY,
    store_id             TEXT    NOT NULL DEFAULT '',
    status               TEXT    NOT NULL,
    platform_status      INTEGER NOT NULL DEFAULT 0,
    raw_status           TEXT    NOT NULL DEFAULT '',
    status_before_refund TEXT    NOT NULL DEFAULT '',
    refund_status        INTEGER NOT NULL DEFAULT 0,
    refund_at            INTEGER NOT NULL DEFAULT 0,  -- platform time of the refund request applied
    cancel_type          INTEGER NOT NULL DEFAULT 0,
    reason               TEXT    NOT NULL DEFAULT '',
    type                 INTEGER NOT NULL DEFAULT 0,
    channel              INTEGER NOT NULL DEFAULT 0,
    pickup_no            TEXT    NOT NULL DEFAULT '',
    mobile_last4         TEXT    NOT NULL DEFAULT '',
    day                  TEXT    NOT NULL DEFAULT '',  -- business day, Asia/Shanghai
    created_at           INTEGER NOT NULL DEFAULT 0,
    first_seen_at        INTEGER NOT NULL,
    first_source         TEXT    NOT NULL DEFAULT '',
    push_seen            INTEGER NOT NULL DEFAULT 0,
    updated_at           INTEGER NOT NULL,
    platform_at          INTEGER NOT NULL DEFAULT 0,  -- newest platform timestamp applied
    accepted_at          INTEGER NOT NULL DEFAULT 0,
    made_at              INTEGER NOT NULL DEFAULT 0,
    completed_at         INTEGER NOT NULL DEFAULT 0,
    closed_at            INTEGER NOT NULL DEFAULT 0,
    detail_json          TEXT,                        -- NULL until queryDetail answered
    raw_detail           TEXT,
    needs_detail         INTEGER NOT NULL DEFAULT 1,
    detail_attempts      INTEGER NOT NULL DEFAULT 0,
    detail_next_at       INTEGER NOT NULL DEFAULT 0,
    detail_error         TEXT    NOT NULL DEFAULT '',
    decision             TEXT    NOT NULL DEFAULT '', -- '' | accept | refund: waits for staff
    decision_since       INTEGER NOT NULL DEFAULT 0,
    decision_deadline    INTEGER NOT NULL DEFAULT 0,  -- auto-accept / release time, 0 = none
    decision_note        TEXT    NOT NULL DEFAULT '',
    alert_level          INTEGER NOT NULL DEFAULT 0,
    paused               INTEGER NOT NULL DEFAULT 0,  -- kitchens were told 暂停制作
    print_pending        INTEGER NOT NULL DEFAULT 0,  -- accepted, tickets not yet queued
    print_at             INTEGER NOT NULL DEFAULT 0,  -- reserved orders: queue tickets at this time
    cancel_requested     INTEGER NOT NULL DEFAULT 0   -- an after-sales /order/cancel went out
);
CREATE INDEX orders_day ON orders(day, status);
CREATE INDEX orders_pickup ON orders(pickup_no);
CREATE INDEX orders_mobile ON orders(mobile_last4);
CREATE INDEX orders_status ON orders(status);
CREATE INDEX orders_needs_detail ON orders(needs_detail, detail_next_at) WHERE needs_detail = 1;
CREATE INDEX orders_decision ON orders(decision) WHERE decision <> '';

CREATE TABLE order_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_code  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    from_status TEXT    NOT NULL DEFAULT '',
    to_status   TEXT    NOT NULL DEFAULT '',
    actor       TEXT    NOT NULL,   -- auto | staff:<name> | platform | scanner | system
    source      TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX order_history_code ON order_history(order_code, id);

-- Every platform call (invariant 2). lane keeps calls of one order in order.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tx_id       TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,   -- status_operation | refund_operation | cancel | submit
    op          TEXT    NOT NULL DEFAULT '',
    lane        TEXT    NOT NULL,
    order_code  TEXT    NOT NULL DEFAULT '',
    payload     TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending', -- pending | done | failed | moot
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    result      TEXT    NOT NULL DEFAULT '',
    actor       TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    done_at     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(state, next_at);
CREATE INDEX outbox_lane ON outbox(lane, state, id);
CREATE INDEX outbox_order ON outbox(order_code);

-- Every print (invariant 3).
CREATE TABLE print_jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    printer          TEXT    NOT NULL,
    original_printer TEXT    NOT NULL DEFAULT '',
    order_code       TEXT    NOT NULL DEFAULT '',
    doc              TEXT    NOT NULL,  -- receipt | kitchen | label | cancel | refund | pause | resume | test | beep
    title            TEXT    NOT NULL DEFAULT '',
    dedupe_key       TEXT    UNIQUE,
    payload          BLOB    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'queued', -- queued | sending | done | failed | held | dropped
    reprint          INTEGER NOT NULL DEFAULT 0,
    released         INTEGER NOT NULL DEFAULT 0, -- staff printed it after a hold: never held again
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_at          INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    bytes            BLOB,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    first_try_at     INTEGER NOT NULL DEFAULT 0,
    done_at          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX print_jobs_queue ON print_jobs(printer, state, id);
CREATE INDEX print_jobs_order ON print_jobs(order_code);
CREATE INDEX print_jobs_state ON print_jobs(state);

CREATE TABLE cursors (
    name       TEXT PRIMARY KEY,
    value      INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    order_code TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit(at);
