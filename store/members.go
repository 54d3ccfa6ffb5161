package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
)

// MemberCard is one member card of a restaurant (schema 11).
type MemberCard struct {
	ID           int64
	RestaurantID int64
	CardNo       string
	CustomerID   string // "" = not bound
	PasswordHash string
	BalanceFen   int64
	Points       int64
	SpentFen     int64
	IssuedBy     string
	CreatedAt    time.Time
	BoundAt      time.Time
}

// Accounts of the member ledger.
const (
	AccountBalance = "balance"
	AccountPoints  = "points"
)

// MemberEntry is one row of the member ledger: a change of one account of
// one card.
type MemberEntry struct {
	ID       int64
	CardID   int64
	Account  string
	Delta    int64
	Before   int64
	After    int64
	Reason   string
	Actor    string
	OrderRef string
	TopUpRef string
	Note     string
	IdemKey  string
	At       time.Time
}

// ErrMemberInsufficient: the change would take the account below zero.
var ErrMemberInsufficient = errors.New("member account would go below zero")

// ErrMemberCardExists: the number is taken in the restaurant, or the
// customer has a card there already.
var ErrMemberCardExists = errors.New("member card exists")

const memberCardColumns = `id, restaurant_id, card_no, COALESCE(customer_id, ''), password_hash, balance_fen, points,
	spent_fen, issued_by, created_at, bound_at`

func scanMemberCard(row interface{ Scan(...any) error }) (*MemberCard, error) {
	var c MemberCard
	var created, bound int64
	err := row.Scan(&c.ID, &c.RestaurantID, &c.CardNo, &c.CustomerID, &c.PasswordHash, &c.BalanceFen, &c.Points,
		&c.SpentFen, &c.IssuedBy, &created, &bound)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.CreatedAt, c.BoundAt = fromMS(created), fromMS(bound)
	return &c, nil
}

// InsertMemberCard adds a card with no balance (an opening balance is a
// ledger row, AppendMemberEntry). ErrMemberCardExists when the number or the
// customer has one in the restaurant.
func (tx *Tx) InsertMemberCard(c *MemberCard) (int64, error) {
	var customer any
	if c.CustomerID != "" {
		customer = c.CustomerID
	}
	bound := int64(0)
	if c.CustomerID != "" {
		bound = ms(tx.now)
	}
	res, err := tx.exec(`INSERT INTO member_cards (restaurant_id, card_no, customer_id, password_hash, issued_by, created_at, bound_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.RestaurantID, c.CardNo, customer, c.PasswordHash, c.IssuedBy, ms(tx.now), bound)
	if isUniqueViolation(err) {
		return 0, ErrMemberCardExists
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// MemberCardOf is the card bound to the customer in the restaurant.
func (tx *Tx) MemberCardOf(restaurantID int64, customerID string) (*MemberCard, error) {
	return scanMemberCard(tx.queryRow(`SELECT `+memberCardColumns+` FROM member_cards
		WHERE restaurant_id = ? AND customer_id = ?`, restaurantID, customerID))
}

// MemberCardByNo is the card with the number in the restaurant.
func (tx *Tx) MemberCardByNo(restaurantID int64, cardNo string) (*MemberCard, error) {
	return scanMemberCard(tx.queryRow(`SELECT `+memberCardColumns+` FROM member_cards
		WHERE restaurant_id = ? AND card_no = ?`, restaurantID, cardNo))
}

// MemberCardByID is the card with the row id.
func (tx *Tx) MemberCardByID(id int64) (*MemberCard, error) {
	return scanMemberCard(tx.queryRow(`SELECT `+memberCardColumns+` FROM member_cards WHERE id = ?`, id))
}

// BindMemberCard binds an unbound card to the customer; customerID ""
// unbinds it. ErrMemberCardExists when the customer has another card.
func (tx *Tx) BindMemberCard(cardID int64, customerID string) error {
	var customer any
	if customerID != "" {
		customer = customerID
	}
	_, err := tx.exec(`UPDATE member_cards SET customer_id = ?, bound_at = ? WHERE id = ?`, customer, ms(tx.now), cardID)
	if isUniqueViolation(err) {
		return ErrMemberCardExists
	}
	return err
}

// SetMemberPassword replaces a card's password hash.
func (tx *Tx) SetMemberPassword(cardID int64, hash string) error {
	_, err := tx.exec(`UPDATE member_cards SET password_hash = ? WHERE id = ?`, hash, cardID)
	return err
}

// AddMemberSpent adds to what the card's holder spent (the level follows it).
func (tx *Tx) AddMemberSpent(cardID, fen int64) error {
	_, err := tx.exec(`UPDATE member_cards SET spent_fen = spent_fen + ? WHERE id = ?`, fen, cardID)
	return err
}

// AppendMemberEntry changes one account of a card by e.Delta and writes the
// ledger row, in the caller's transaction: a payment and its debit commit
// together. The account never goes below zero (ErrMemberInsufficient). A row
// whose IdemKey is already in the ledger is not written again: the first
// row is returned with done true, so a retried refund or a credit raced by
// a notification and a query happens once.
func (tx *Tx) AppendMemberEntry(e MemberEntry) (row MemberEntry, done bool, err error) {
	if e.IdemKey != "" {
		prev, err := tx.memberEntryByKey(e.IdemKey)
		if err == nil {
			return *prev, true, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return MemberEntry{}, false, err
		}
	}
	column := "balance_fen"
	switch e.Account {
	case AccountBalance:
	case AccountPoints:
		column = "points"
	default:
		return MemberEntry{}, false, fmt.Errorf("member ledger: unknown account %q", e.Account)
	}
	var before int64
	if err := tx.queryRow(`SELECT `+column+` FROM member_cards WHERE id = ?`, e.CardID).Scan(&before); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return MemberEntry{}, false, ErrNotFound
		}
		return MemberEntry{}, false, err
	}
	e.Before, e.After, e.At = before, before+e.Delta, tx.now
	if e.After < 0 {
		return MemberEntry{}, false, ErrMemberInsufficient
	}
	if _, err := tx.exec(`UPDATE member_cards SET `+column+` = ? WHERE id = ?`, e.After, e.CardID); err != nil {
		return MemberEntry{}, false, err
	}
	var key any
	if e.IdemKey != "" {
		key = e.IdemKey
	}
	res, err := tx.exec(`INSERT INTO member_ledger (card_id, account, delta, before, after, reason, actor, order_ref,
		top_up_ref, note, idem_key, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.CardID, e.Account, e.Delta, e.Before,
		e.After, e.Reason, e.Actor, e.OrderRef, e.TopUpRef, e.Note, key, ms(e.At))
	if err != nil {
		return MemberEntry{}, false, err
	}
	e.ID, err = res.LastInsertId()
	return e, false, err
}

const memberEntryColumns = `id, card_id, account, delta, before, after, reason, actor, order_ref, top_up_ref, note,
	COALESCE(idem_key, ''), at`

func scanMemberEntry(row interface{ Scan(...any) error }) (*MemberEntry, error) {
	var e MemberEntry
	var at int64
	err := row.Scan(&e.ID, &e.CardID, &e.Account, &e.Delta, &e.Before, &e.After, &e.Reason, &e.Actor, &e.OrderRef,
		&e.TopUpRef, &e.Note, &e.IdemKey, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	e.At = fromMS(at)
	return &e, nil
}

func (tx *Tx) memberEntryByKey(key string) (*MemberEntry, error) {
	return scanMemberEntry(tx.queryRow(`SELECT `+memberEntryColumns+` FROM member_ledger WHERE idem_key = ?`, key))
}

// MemberEntriesOfOrder are the ledger rows that name the order.
func (tx *Tx) MemberEntriesOfOrder(orderRef string) ([]MemberEntry, error) {
	rows, err := tx.query(`SELECT `+memberEntryColumns+` FROM member_ledger WHERE order_ref = ? ORDER BY id`, orderRef)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MemberEntry
	for rows.Next() {
		e, err := scanMemberEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// ReserveMemberBindTry counts a try to bind the card number and says
// whether it may go ahead: at most limit tries within window. Counted before
// the password is compared, in the write transaction, so that parallel
// guesses are serialised by the database and none passes the limit.
func (tx *Tx) ReserveMemberBindTry(restaurantID int64, cardNo string, limit int, window time.Duration) (bool, error) {
	since := ms(tx.now.Add(-window))
	if _, err := tx.exec(`DELETE FROM member_bind_tries WHERE at < ?`, since); err != nil {
		return false, err
	}
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM member_bind_tries WHERE restaurant_id = ? AND card_no = ? AND at >= ?`,
		restaurantID, cardNo, since).Scan(&n); err != nil {
		return false, err
	}
	if n >= limit {
		return false, nil
	}
	_, err := tx.exec(`INSERT INTO member_bind_tries (restaurant_id, card_no, at) VALUES (?, ?, ?)`, restaurantID, cardNo, ms(tx.now))
	return err == nil, err
}

// MemberEntries lists a card's rows of one account, newest first.
func (db *DB) MemberEntries(ctx context.Context, cardID int64, account string, limit, offset int) ([]MemberEntry, int, error) {
	var total int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM member_ledger WHERE card_id = ? AND account = ?`,
		cardID, account).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+memberEntryColumns+` FROM member_ledger
		WHERE card_id = ? AND account = ? ORDER BY id DESC LIMIT ? OFFSET ?`, cardID, account, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []MemberEntry
	for rows.Next() {
		e, err := scanMemberEntry(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *e)
	}
	return out, total, rows.Err()
}

// MemberMismatch is a card whose kept balance or points is not what its
// ledger rows add up to, or whose rows do not chain (a row's before is not
// the previous row's after).
type MemberMismatch struct {
	CardID  int64
	CardNo  string
	Account string
	Kept    int64 // on the card
	Summed  int64 // the sum of its rows
	Problem string
}

// CheckMemberLedger verifies every card: its balance and points are the sums
// of its rows, and each row starts where the previous one ended.
func (db *DB) CheckMemberLedger(ctx context.Context) (cards int, bad []MemberMismatch, err error) {
	type kept struct {
		no              string
		balance, points int64
	}
	var tables int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'member_cards'`).Scan(&tables); err != nil {
		return 0, nil, err
	}
	if tables == 0 {
		return 0, nil, nil // a database the daemon has not upgraded yet: no cards
	}
	all := map[int64]kept{}
	rows, err := db.reader.QueryContext(ctx, `SELECT id, card_no, balance_fen, points FROM member_cards`)
	if err != nil {
		return 0, nil, err
	}
	for rows.Next() {
		var id int64
		var k kept
		if err := rows.Scan(&id, &k.no, &k.balance, &k.points); err != nil {
			rows.Close()
			return 0, nil, err
		}
		all[id] = k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	type chain struct{ sum, last int64 }
	sums := map[[2]any]*chain{}
	rows, err = db.reader.QueryContext(ctx, `SELECT card_id, account, delta, before, after, id FROM member_ledger ORDER BY card_id, account, id`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var card, delta, before, after, id int64
		var account string
		if err := rows.Scan(&card, &account, &delta, &before, &after, &id); err != nil {
			return 0, nil, err
		}
		k := [2]any{card, account}
		c := sums[k]
		if c == nil {
			c = &chain{}
			sums[k] = c
		}
		if before != c.last {
			bad = append(bad, MemberMismatch{CardID: card, CardNo: all[card].no, Account: account, Kept: before, Summed: c.last,
				Problem: fmt.Sprintf("row %d starts at %d but the previous row ended at %d", id, before, c.last)})
		}
		c.sum += delta
		c.last = after
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	for id, k := range all {
		for _, acc := range []struct {
			name string
			kept int64
		}{{AccountBalance, k.balance}, {AccountPoints, k.points}} {
			var summed int64
			if c := sums[[2]any{id, acc.name}]; c != nil {
				summed = c.sum
			}
			if summed != acc.kept {
				bad = append(bad, MemberMismatch{CardID: id, CardNo: k.no, Account: acc.name, Kept: acc.kept, Summed: summed,
					Problem: fmt.Sprintf("the card keeps %d but its rows add up to %d", acc.kept, summed)})
			}
		}
	}
	return len(all), bad, nil
}

// isUniqueViolation: the statement broke a UNIQUE constraint or index.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// MemberCardOf reads the card bound to the customer, outside a write.
func (db *DB) MemberCardOf(ctx context.Context, restaurantID int64, customerID string) (*MemberCard, error) {
	return scanMemberCard(db.reader.QueryRowContext(ctx, `SELECT `+memberCardColumns+` FROM member_cards
		WHERE restaurant_id = ? AND customer_id = ?`, restaurantID, customerID))
}

// MemberCardByNo reads the card with the number, outside a write.
func (db *DB) MemberCardByNo(ctx context.Context, restaurantID int64, cardNo string) (*MemberCard, error) {
	return scanMemberCard(db.reader.QueryRowContext(ctx, `SELECT `+memberCardColumns+` FROM member_cards
		WHERE restaurant_id = ? AND card_no = ?`, restaurantID, cardNo))
}
