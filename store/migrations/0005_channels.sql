-- posbridge schema 5: orders from more than one source (issue 12). Every
-- row written before it came from 开个店.

-- An order is known by its source and its code. The code stays the row's
-- key (every other table refers to it, and rebuilding the orders of a
-- busy store's years would stop its upgrade for minutes): a source whose
-- codes posbridge mints (scan-to-order) mints them apart from 开个店's, and
-- the unique index refuses a code taken twice.
ALTER TABLE orders ADD COLUMN source TEXT NOT NULL DEFAULT 'kaigedian';
CREATE UNIQUE INDEX orders_identity ON orders(source, code);

-- Which channel's decoder reads an inbox item.
ALTER TABLE inbox ADD COLUMN source TEXT NOT NULL DEFAULT 'kaigedian';

-- A call belongs to an order of a source and goes to a destination: the
-- order's channel, or a reporter (the WeChat Pay sync). Lanes are per
-- destination and order, so that a reporter never waits behind a failing
-- platform call. Only pending rows are re-laned: a finished row's lane is
-- never read again (DueOutbox compares pending rows only), and rewriting
-- millions of finished calls would slow the upgrade for nothing.
ALTER TABLE outbox ADD COLUMN source TEXT NOT NULL DEFAULT 'kaigedian';
ALTER TABLE outbox ADD COLUMN destination TEXT NOT NULL DEFAULT 'kaigedian';
UPDATE outbox SET lane = 'kaigedian:' || lane WHERE state = 'pending';

-- A claim of an unauthenticated push is confirmed by its source's channel.
ALTER TABLE push_claims ADD COLUMN source TEXT NOT NULL DEFAULT 'kaigedian';
