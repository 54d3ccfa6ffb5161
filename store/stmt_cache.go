package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds each cache: queries built with a variable number of
// placeholders (IN lists, filters) would otherwise grow it without end.
const maxCachedStmts = 200

// stmtCache keeps prepared statements per query text. mattn/go-sqlite3
// prepares, steps and finalizes every statement it is handed as text, and
// the profile of a rush showed sqlite3_prepare at a quarter of SQLite's CPU:
// the same few dozen queries run for every order.
//
// The writer pool has one connection, which a transaction holds while it
// runs; preparing on the pool then would wait for that very connection. So a
// statement first seen inside a transaction runs unprepared and is noted, and
// the committer prepares the noted ones between transactions (prepareNoted).
type stmtCache struct {
	pool *sql.DB

	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	noted  map[string]bool
	closed bool
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, noted: map[string]bool{}}
}

// get returns the prepared statement of query, or nil after noting it.
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.stmts[query]; s != nil {
		return s
	}
	if !c.closed && len(c.stmts)+len(c.noted) < maxCachedStmts {
		c.noted[query] = true
	}
	return nil
}

// prepare returns the prepared statement of query, preparing it now when
// the cache has room (for pools whose connections are free to prepare on).
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if s := c.get(query); s != nil {
		return s
	}
	c.prepareNoted(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// prepareNoted prepares the statements noted since the last call. A query
// SQLite refuses to prepare stays unprepared: running it as text reports
// the error where it belongs.
func (c *stmtCache) prepareNoted(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.noted) == 0 || c.closed {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.noted))
	for q := range c.noted {
		queries = append(queries, q)
	}
	clear(c.noted)
	c.mu.Unlock()
	for _, q := range queries {
		s, err := c.pool.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if c.closed || c.stmts[q] != nil {
			c.mu.Unlock()
			s.Close()
			continue
		}
		c.stmts[q] = s
		c.mu.Unlock()
	}
}

// close closes every prepared statement; later gets return nil. A nil
// cache (a DB built by hand in a test) prepares nothing.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
	clear(c.noted)
}

// exec runs query inside tx, prepared when the cache has it.
func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	if s := tx.stmts.get(query); s != nil {
		return tx.tx.StmtContext(tx.ctx, s).ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, query, args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if s := tx.stmts.get(query); s != nil {
		return tx.tx.StmtContext(tx.ctx, s).QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, query, args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if s := tx.stmts.get(query); s != nil {
		return tx.tx.StmtContext(tx.ctx, s).QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, query, args...)
}
