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
