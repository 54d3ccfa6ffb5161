-- posbridge schema 14: the WeChat Pay catering order sync (issue 17).

-- One row per order and status reported (CREATE_DEAL, PAY_SUCCESS). The
-- snapshot the body was built from and the body itself are written before
-- the first send, so that every retry, also after a crash, sends the same
-- bytes (only a refreshed login_token changes them).
CREATE TABLE wechatpay_syncs (
    order_code   TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('CREATE_DEAL', 'PAY_SUCCESS')),
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'not_syncable')),
    reason       TEXT    NOT NULL DEFAULT '',   -- not_syncable: wechatpay.NotSyncableReason; else the failure class
    message      TEXT    NOT NULL DEFAULT '',   -- for staff, in Chinese
    error        TEXT    NOT NULL DEFAULT '',   -- the last error, for the log and support
    snapshot     TEXT    NOT NULL DEFAULT '',   -- wechatpay.SyncOrder as JSON
    body         BLOB,                          -- the exact bytes sent
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL DEFAULT 0,    -- no call before this (Retry-After, a slow alert retry)
    request_id   TEXT    NOT NULL DEFAULT '',   -- WeChat Pay's Request-ID of the last answer
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    done_at      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_code, action)
);
