-- posbridge schema 3: what a database of a busy store's year (half a million
-- orders and more) needs to answer at once (issue 14).

-- The console finds an order by the last digits of its code across every
-- day: an index of the last four makes that a lookup, not a scan.
CREATE INDEX orders_code_tail ON orders(substr(code, -4));

-- A day's list, newest first, is read from the index alone (the rows of
-- the page are fetched after the limit): a busy day is 1,500 orders.
DROP INDEX orders_day;
CREATE INDEX orders_day ON orders(day, status, first_seen_at);

-- The daily prune finds closed orders, finished print jobs and platform
-- calls, and old pushes, by age (they replace the indexes on the state
-- alone, which they cover).
CREATE INDEX orders_status_updated ON orders(status, updated_at);
DROP INDEX orders_status;
CREATE INDEX print_jobs_state_updated ON print_jobs(state, updated_at);
DROP INDEX print_jobs_state;
CREATE INDEX outbox_state_updated ON outbox(state, updated_at);
CREATE INDEX inbox_received ON inbox(received_at);
CREATE INDEX rejected_pushes_received ON rejected_pushes(received_at);
