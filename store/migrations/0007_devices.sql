-- posbridge schema 7: screens on the LAN (issue 20). Kitchen tablets and the
-- pickup TV pair once and then carry a long-lived token scoped to their
-- screen; kitchen stations record what they bumped.

-- A paired screen. Only hashes of the token and of the one-time pairing
-- code are kept: a copy of the database lets nobody in.
CREATE TABLE devices (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,            -- kitchen | pickup
    station      TEXT    NOT NULL DEFAULT '', -- kitchen screens: their station
    token_hash   TEXT    NOT NULL DEFAULT '', -- sha256 hex of the token, '' until paired
    pair_hash    TEXT    NOT NULL DEFAULT '', -- sha256 hex of the pairing code, '' once used
    pair_expires INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    created_by   TEXT    NOT NULL DEFAULT '',
    paired_at    INTEGER NOT NULL DEFAULT 0,
    last_seen_at INTEGER NOT NULL DEFAULT 0,
    last_ip      TEXT    NOT NULL DEFAULT '',
    revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX devices_token ON devices(token_hash) WHERE token_hash <> '';
CREATE UNIQUE INDEX devices_pair ON devices(pair_hash) WHERE pair_hash <> '';

-- Items a kitchen station has finished (bumped). item is the index of the
-- item in the order's item list.
CREATE TABLE kitchen_bumps (
    order_code TEXT    NOT NULL,
    station    TEXT    NOT NULL,
    item       INTEGER NOT NULL,
    bumped_at  INTEGER NOT NULL,
    actor      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (order_code, station, item)
);

-- A station's state of an order: done when every item of it was bumped;
-- recalled when staff brought a done order back to the screen.
CREATE TABLE kitchen_orders (
    order_code  TEXT    NOT NULL,
    station     TEXT    NOT NULL,
    done_at     INTEGER NOT NULL DEFAULT 0,
    recalled_at INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (order_code, station)
);
CREATE INDEX kitchen_orders_done ON kitchen_orders(station, done_at);
