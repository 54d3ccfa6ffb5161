-- posbridge schema 11: the store's own member ledger (issue 18). The store PC
-- is the system of record: every change of a card's balance or points is a
-- row of member_ledger, and a card's balance is the sum of its rows (kept on
-- the card as well, so a payment reads one row; `posbridge members check`
-- verifies the two agree). Never pruned.

CREATE TABLE member_cards (
    id             INTEGER PRIMARY KEY,
    restaurant_id  INTEGER NOT NULL,
    card_no        TEXT    NOT NULL,           -- the number on the card (card_id of seed 002)
    customer_id    TEXT,                       -- the logged-in customer it is bound to; NULL: unbound
    password_hash  TEXT    NOT NULL DEFAULT '',-- bcrypt; '' = no password
    balance_fen    INTEGER NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
    points         INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    spent_fen      INTEGER NOT NULL DEFAULT 0, -- paid with the card or for orders, for the level
    issued_by      TEXT    NOT NULL,           -- opened (by the customer) | staff | import
    created_at     INTEGER NOT NULL,
    bound_at       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (restaurant_id, card_no)
);
CREATE UNIQUE INDEX member_cards_customer ON member_cards(restaurant_id, customer_id)
    WHERE customer_id IS NOT NULL;

CREATE TABLE member_ledger (
    id          INTEGER PRIMARY KEY,
    card_id     INTEGER NOT NULL REFERENCES member_cards(id),
    account     TEXT    NOT NULL CHECK (account IN ('balance', 'points')),
    delta       INTEGER NOT NULL,
    before      INTEGER NOT NULL,
    after       INTEGER NOT NULL CHECK (after >= 0 AND after = before + delta),
    reason      TEXT    NOT NULL,              -- payment | refund | top_up | top_up_bonus | earned | redeemed | adjust | opening
    actor       TEXT    NOT NULL,              -- customer:<id> | staff:<name> | system
    order_ref   TEXT    NOT NULL DEFAULT '',   -- the order paid, refunded or earned on
    top_up_ref  TEXT    NOT NULL DEFAULT '',   -- the deposit order credited
    note        TEXT    NOT NULL DEFAULT '',   -- staff's reason for an adjustment
    idem_key    TEXT    UNIQUE,                -- a payment, refund or credit happens once
    at          INTEGER NOT NULL
);
CREATE INDEX member_ledger_card ON member_ledger(card_id, account, id);
CREATE INDEX member_ledger_order ON member_ledger(order_ref) WHERE order_ref != '';

-- Tries to bind a card by number and password: counted before the password
-- is compared, so parallel guesses cannot pass the limit.
CREATE TABLE member_bind_tries (
    restaurant_id INTEGER NOT NULL,
    card_no       TEXT    NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX member_bind_tries_card ON member_bind_tries(restaurant_id, card_no, at);

-- Top-up (deposit) orders of seed 002 §12: pay price, get money_price on the
-- card. new → success when paid (credited once, by the notification or the
-- query, whichever comes first), new → expired when not paid in time; a
-- payment that arrives after expiry still credits the card (the money came).
CREATE TABLE member_deposits (
    id              INTEGER PRIMARY KEY,
    restaurant_id   INTEGER NOT NULL,
    customer_id     TEXT    NOT NULL,
    card_id         INTEGER NOT NULL REFERENCES member_cards(id),
    pay_type        TEXT    NOT NULL,          -- wechat (the only one seed 002 supports)
    credit_fen      INTEGER NOT NULL CHECK (credit_fen > 0),  -- money_price
    pay_fen         INTEGER NOT NULL CHECK (pay_fen > 0),     -- price
    bonus_points    INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'expired', 'success')),
    trade_no        TEXT    NOT NULL DEFAULT '', -- the provider's trade number once paid
    created_at      INTEGER NOT NULL,
    expiry_at       INTEGER NOT NULL,
    paid_at         INTEGER NOT NULL DEFAULT 0,
    deposit_at      INTEGER NOT NULL DEFAULT 0   -- credited to the card
);
CREATE INDEX member_deposits_customer ON member_deposits(restaurant_id, customer_id, id);
CREATE INDEX member_deposits_open ON member_deposits(status, expiry_at) WHERE status = 'new';

-- Appeals (§13.2 top-ups, §14.2 orders): a customer says a payment went
-- missing, with 1–3 uploaded images; staff resolve them in the console.
CREATE TABLE member_appeals (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('deposit', 'order')),
    ref_id       INTEGER NOT NULL,             -- the deposit or order id
    customer_id  TEXT    NOT NULL,
    phone        TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    images_json  TEXT    NOT NULL,             -- ["url", …], 1 to 3
    status       TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'success')),
    created_at   INTEGER NOT NULL,
    resolved_at  INTEGER NOT NULL DEFAULT 0,
    resolved_by  TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT '',
    UNIQUE (kind, ref_id)
);
