-- posbridge schema 10: the rest of the 开个店 store (issue 19). Times are Unix ms.

-- 沽清: the products posbridge marked sold out on the platform and the
-- platform accepted, per store, product code (customerCode) and channelId
-- ('' = the platform's default channel).
CREATE TABLE sold_out (
    store_id  TEXT    NOT NULL,
    code      TEXT    NOT NULL,
    channel   TEXT    NOT NULL DEFAULT '',
    name      TEXT    NOT NULL DEFAULT '',
    since     INTEGER NOT NULL,
    actor     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (store_id, code, channel)
);

-- The store status posbridge last set (setStoreStatus storeEvent 1-4) and
-- the outbox row that carries it.
CREATE TABLE store_status (
    store_id   TEXT PRIMARY KEY,
    event      INTEGER NOT NULL,
    actor      TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL,
    outbox_id  INTEGER NOT NULL DEFAULT 0,
    confirmed  INTEGER NOT NULL DEFAULT 0   -- the platform accepted it
);

-- The waybill of a delivery order as the delivery pushes and staff tell it;
-- kept apart from the order's detail, which each queryDetail replaces.
CREATE TABLE order_delivery (
    order_code        TEXT PRIMARY KEY,
    delivery_id       TEXT    NOT NULL DEFAULT '',
    status            INTEGER NOT NULL DEFAULT -1,  -- -1 = unknown
    rider_name        TEXT    NOT NULL DEFAULT '',
    rider_phone       TEXT    NOT NULL DEFAULT '',
    channel_code      TEXT    NOT NULL DEFAULT '',
    channel_name      TEXT    NOT NULL DEFAULT '',
    express_no        TEXT    NOT NULL DEFAULT '',
    remark            TEXT    NOT NULL DEFAULT '',
    text              TEXT    NOT NULL DEFAULT '',  -- what staff read
    alert             INTEGER NOT NULL DEFAULT 0,   -- abnormal or cancelled: needs a person
    by_staff          INTEGER NOT NULL DEFAULT 0,   -- entered by staff delivering themselves
    platform_at       INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

-- 围餐: each batch of items a table added online (a product change push),
-- printed once on the kitchens as 加菜.
CREATE TABLE table_additions (
    order_code  TEXT    NOT NULL,
    batch       TEXT    NOT NULL,   -- the inbox item that brought it
    items_json  TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (order_code, batch)
);

-- Reminders (备餐提醒) received per order.
CREATE TABLE order_reminders (
    order_code  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (order_code, at)
);
