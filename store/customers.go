package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Customer is a scan-to-order account of one restaurant (schema 12).
type Customer struct {
	ID           int64
	RestaurantID int64
	Phone        string // "" = none bound
	NickName     string
	Avatar       string
	CreatedAt    time.Time
	LastLoginAt  time.Time
}

// ErrPhoneTaken: another customer of the restaurant has the phone.
var ErrPhoneTaken = errors.New("phone bound to another customer")

const customerColumns = `id, restaurant_id, COALESCE(phone, ''), nick_name, avatar, created_at, last_login_at`

func scanCustomer(row interface{ Scan(...any) error }) (*Customer, error) {
	var c Customer
	var created, login int64
	err := row.Scan(&c.ID, &c.RestaurantID, &c.Phone, &c.NickName, &c.Avatar, &created, &login)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.CreatedAt, c.LastLoginAt = fromMS(created), fromMS(login)
	return &c, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// InsertCustomer adds a customer, with a phone or none.
func (tx *Tx) InsertCustomer(restaurantID int64, phone string) (int64, error) {
	res, err := tx.exec(`INSERT INTO customers (restaurant_id, phone, created_at, last_login_at) VALUES (?, ?, ?, ?)`,
		restaurantID, nullable(phone), ms(tx.now), ms(tx.now))
	if isUniqueViolation(err) {
		return 0, ErrPhoneTaken
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// CustomerByID is the customer with the id.
func (tx *Tx) CustomerByID(id int64) (*Customer, error) {
	return scanCustomer(tx.queryRow(`SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
}

// CustomerByPhone is the restaurant's customer with the phone.
func (tx *Tx) CustomerByPhone(restaurantID int64, phone string) (*Customer, error) {
	return scanCustomer(tx.queryRow(`SELECT `+customerColumns+` FROM customers WHERE restaurant_id = ? AND phone = ?`,
		restaurantID, phone))
}

// SetCustomerPhone binds a phone to the customer.
func (tx *Tx) SetCustomerPhone(id int64, phone string) error {
	_, err := tx.exec(`UPDATE customers SET phone = ? WHERE id = ?`, nullable(phone), id)
	if isUniqueViolation(err) {
		return ErrPhoneTaken
	}
	return err
}

// SetCustomerProfile replaces the nick name and avatar.
func (tx *Tx) SetCustomerProfile(id int64, nick, avatar string) error {
	_, err := tx.exec(`UPDATE customers SET nick_name = ?, avatar = ? WHERE id = ?`, nick, avatar, id)
	return err
}

// TouchCustomerLogin records a login.
func (tx *Tx) TouchCustomerLogin(id int64) error {
	_, err := tx.exec(`UPDATE customers SET last_login_at = ? WHERE id = ?`, ms(tx.now), id)
	return err
}

// CustomerByID reads a customer outside a write (every authenticated
// request does).
func (db *DB) CustomerByID(ctx context.Context, id int64) (*Customer, error) {
	return scanCustomer(db.reader.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
}

// CustomerIdentity is a WeChat or Facebook login of a customer.
type CustomerIdentity struct {
	CustomerID   int64
	Provider     string // wechat | facebook
	AppID        string
	Subject      string // openid or Facebook user id
	AccessToken  string
	RefreshToken string
	TokenAt      time.Time
}

// CustomerByIdentity is the customer who logged in with the identity.
func (tx *Tx) CustomerByIdentity(provider, appID, subject string) (*Customer, error) {
	return scanCustomer(tx.queryRow(`SELECT c.id, c.restaurant_id, COALESCE(c.phone, ''), c.nick_name, c.avatar, c.created_at,
		c.last_login_at FROM customer_identities i JOIN customers c ON c.id = i.customer_id
		WHERE i.provider = ? AND i.app_id = ? AND i.subject = ?`, provider, appID, subject))
}

// SaveCustomerIdentity links the identity to the customer and keeps its
// newest tokens.
func (tx *Tx) SaveCustomerIdentity(id CustomerIdentity) error {
	_, err := tx.exec(`INSERT INTO customer_identities (customer_id, provider, app_id, subject, access_token, refresh_token, token_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, app_id, subject) DO UPDATE SET customer_id = excluded.customer_id,
		access_token = excluded.access_token, refresh_token = excluded.refresh_token, token_at = excluded.token_at`,
		id.CustomerID, id.Provider, id.AppID, id.Subject, id.AccessToken, id.RefreshToken, ms(tx.now))
	return err
}

// CustomerIdentities are the customer's outside logins.
func (db *DB) CustomerIdentities(ctx context.Context, customerID int64) ([]CustomerIdentity, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT customer_id, provider, app_id, subject, access_token, refresh_token, token_at
		FROM customer_identities WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CustomerIdentity
	for rows.Next() {
		var i CustomerIdentity
		var at int64
		if err := rows.Scan(&i.CustomerID, &i.Provider, &i.AppID, &i.Subject, &i.AccessToken, &i.RefreshToken, &at); err != nil {
			return nil, err
		}
		i.TokenAt = fromMS(at)
		out = append(out, i)
	}
	return out, rows.Err()
}

// PhoneCode is an SMS code as kept: its hash only.
type PhoneCode struct {
	ID        int64
	CodeHash  string
	ExpiresAt time.Time
	Tries     int
	Used      bool
}

// InsertPhoneCode keeps a new code's hash; earlier codes of the phone and
// purpose are voided (only the newest SMS counts).
func (tx *Tx) InsertPhoneCode(restaurantID int64, phone, purpose, hash string, ttl time.Duration) error {
	if _, err := tx.exec(`UPDATE phone_codes SET used = 1 WHERE restaurant_id = ? AND phone = ? AND purpose = ? AND used = 0`,
		restaurantID, phone, purpose); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO phone_codes (restaurant_id, phone, purpose, code_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, restaurantID, phone, purpose, hash, ms(tx.now), ms(tx.now.Add(ttl)))
	return err
}

// CountPhoneCodeTry takes the newest live code of the phone and purpose and
// counts a try on it before the caller compares: ErrNotFound when there is
// none (never sent, expired, used, or out of tries).
func (tx *Tx) CountPhoneCodeTry(restaurantID int64, phone, purpose string, maxTries int) (*PhoneCode, error) {
	var c PhoneCode
	var expires int64
	var used int
	err := tx.queryRow(`SELECT id, code_hash, expires_at, tries, used FROM phone_codes
		WHERE restaurant_id = ? AND phone = ? AND purpose = ? ORDER BY id DESC LIMIT 1`, restaurantID, phone, purpose).
		Scan(&c.ID, &c.CodeHash, &expires, &c.Tries, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.ExpiresAt, c.Used = fromMS(expires), used == 1
	if c.Used || !tx.now.Before(c.ExpiresAt) || c.Tries >= maxTries {
		return nil, ErrNotFound
	}
	c.Tries++
	if _, err := tx.exec(`UPDATE phone_codes SET tries = ? WHERE id = ?`, c.Tries, c.ID); err != nil {
		return nil, err
	}
	return &c, nil
}

// UsePhoneCode marks a code used: it logs in once.
func (tx *Tx) UsePhoneCode(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE phone_codes SET used = 1 WHERE id = ? AND used = 0`, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SMSCounts are the sends asked for since a time, by phone, by address and
// by restaurant.
type SMSCounts struct {
	LastForPhone              time.Time
	Phone, Client, Restaurant int
}

// CountSMSSends reads the sends since since.
func (tx *Tx) CountSMSSends(restaurantID int64, phone, client string, since time.Time) (SMSCounts, error) {
	var c SMSCounts
	var last sql.NullInt64
	s := ms(since)
	if err := tx.queryRow(`SELECT count(*), max(at) FROM sms_sends WHERE phone = ? AND at >= ?`, phone, s).Scan(&c.Phone, &last); err != nil {
		return c, err
	}
	if last.Valid {
		c.LastForPhone = fromMS(last.Int64)
	}
	if err := tx.queryRow(`SELECT count(*) FROM sms_sends WHERE client = ? AND at >= ?`, client, s).Scan(&c.Client); err != nil {
		return c, err
	}
	err := tx.queryRow(`SELECT count(*) FROM sms_sends WHERE restaurant_id = ? AND at >= ?`, restaurantID, s).Scan(&c.Restaurant)
	return c, err
}

// InsertSMSSend counts a send; sends older than a day are dropped.
func (tx *Tx) InsertSMSSend(restaurantID int64, phone, client string) error {
	if _, err := tx.exec(`DELETE FROM sms_sends WHERE at < ?`, ms(tx.now.Add(-48*time.Hour))); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO sms_sends (restaurant_id, phone, client, at) VALUES (?, ?, ?, ?)`, restaurantID, phone, client, ms(tx.now))
	return err
}
