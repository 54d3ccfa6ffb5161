-- posbridge schema 12: scan-to-order customers (issue 16): accounts per
-- restaurant (seed 002 users carry res_id), SMS codes and their limits,
-- WeChat and Facebook identities, delivery addresses.

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    restaurant_id  INTEGER NOT NULL,
    phone          TEXT,                        -- stored form of seed §1.3: 11 digits, or +<country><number>
    nick_name      TEXT    NOT NULL DEFAULT '',
    avatar         TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    last_login_at  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX customers_phone ON customers(restaurant_id, phone) WHERE phone IS NOT NULL;

-- Logins from outside: WeChat (appid + openid, with the page access_token the
-- WeChat Pay sync sends as login_token) and Facebook (app-scoped user id).
CREATE TABLE customer_identities (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id),
    provider       TEXT    NOT NULL CHECK (provider IN ('wechat', 'facebook')),
    app_id         TEXT    NOT NULL,
    subject        TEXT    NOT NULL,            -- openid, or the Facebook user id
    access_token   TEXT    NOT NULL DEFAULT '',
    refresh_token  TEXT    NOT NULL DEFAULT '',
    token_at       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (provider, app_id, subject)
);
CREATE INDEX customer_identities_customer ON customer_identities(customer_id);

-- SMS codes: only a hash is kept; five wrong tries void a code.
CREATE TABLE phone_codes (
    id             INTEGER PRIMARY KEY,
    restaurant_id  INTEGER NOT NULL,
    phone          TEXT    NOT NULL,
    purpose        TEXT    NOT NULL CHECK (purpose IN ('login', 'register')),
    code_hash      TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    tries          INTEGER NOT NULL DEFAULT 0,
    used           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX phone_codes_phone ON phone_codes(restaurant_id, phone, purpose, id);

-- Every SMS asked for, kept for a day: the store pays per message, so sends
-- are limited per phone, per address and per restaurant.
CREATE TABLE sms_sends (
    restaurant_id  INTEGER NOT NULL,
    phone          TEXT    NOT NULL,
    client         TEXT    NOT NULL,            -- the asking address
    at             INTEGER NOT NULL
);
CREATE INDEX sms_sends_phone ON sms_sends(phone, at);
CREATE INDEX sms_sends_client ON sms_sends(client, at);
CREATE INDEX sms_sends_restaurant ON sms_sends(restaurant_id, at);

CREATE TABLE customer_addresses (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    name         TEXT    NOT NULL,
    gender       INTEGER NOT NULL DEFAULT 0,
    phone        TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    longitude    REAL,                          -- NULL: not given
    latitude     REAL,
    is_default   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses(customer_id, id);
CREATE UNIQUE INDEX customer_addresses_default ON customer_addresses(customer_id) WHERE is_default = 1;
