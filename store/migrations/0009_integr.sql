-- posbridge schema 9: shift hand-overs (交班) and signed outbound webhooks (issue 20).

-- One row per hand-over: the shift ran from started_at to ended_at and its
-- figures, as printed and shown then, are kept whole.
CREATE TABLE shifts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id    TEXT    NOT NULL DEFAULT '',  -- '' = every store of this PC
    staff       TEXT    NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER NOT NULL,
    report_json TEXT    NOT NULL
);
CREATE INDEX shifts_store ON shifts(store_id, ended_at);

-- Webhook deliveries: one row per event and receiver, sent and retried by
-- the webhook dispatcher. event_id is the receiver's dedup key: every retry
-- of a row carries the same one.
CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL,
    hook        TEXT    NOT NULL,             -- the receiver's url
    event       TEXT    NOT NULL,             -- order.accepted, printer.fault, …
    body        TEXT    NOT NULL,             -- the exact JSON signed and sent
    state       TEXT    NOT NULL DEFAULT 'pending', -- pending | done | failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE(hook, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at);
