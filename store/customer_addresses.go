package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// CustomerAddress is a delivery address of a customer (seed 002 §4).
type CustomerAddress struct {
	ID         int64
	CustomerID int64
	Name       string
	Gender     int
	Phone      string
	Address    string
	Longitude  *float64 // nil: not given
	Latitude   *float64
	IsDefault  bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MaxAddresses bounds what one customer may store.
const MaxAddresses = 50

// ErrTooManyAddresses: the customer has MaxAddresses already.
var ErrTooManyAddresses = errors.New("too many addresses")

const addressColumns = `id, customer_id, name, gender, phone, address, longitude, latitude, is_default, created_at, updated_at`

func scanAddress(row interface{ Scan(...any) error }) (*CustomerAddress, error) {
	var a CustomerAddress
	var lon, lat sql.NullFloat64
	var def int
	var created, updated int64
	err := row.Scan(&a.ID, &a.CustomerID, &a.Name, &a.Gender, &a.Phone, &a.Address, &lon, &lat, &def, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if lon.Valid && lat.Valid {
		a.Longitude, a.Latitude = &lon.Float64, &lat.Float64
	}
	a.IsDefault, a.CreatedAt, a.UpdatedAt = def == 1, fromMS(created), fromMS(updated)
	return &a, nil
}

func coords(a *CustomerAddress) (lon, lat any) {
	if a.Longitude == nil || a.Latitude == nil {
		return nil, nil
	}
	return *a.Longitude, *a.Latitude
}

// InsertCustomerAddress adds an address; the customer's first one, or one
// marked default, becomes the default (the others lose it).
func (tx *Tx) InsertCustomerAddress(a *CustomerAddress) (int64, error) {
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM customer_addresses WHERE customer_id = ?`, a.CustomerID).Scan(&n); err != nil {
		return 0, err
	}
	if n >= MaxAddresses {
		return 0, ErrTooManyAddresses
	}
	def := a.IsDefault || n == 0
	if def {
		if err := tx.clearDefaultAddress(a.CustomerID); err != nil {
			return 0, err
		}
	}
	lon, lat := coords(a)
	res, err := tx.exec(`INSERT INTO customer_addresses (customer_id, name, gender, phone, address, longitude, latitude, is_default,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.CustomerID, a.Name, a.Gender, a.Phone, a.Address, lon, lat,
		boolInt(def), ms(tx.now), ms(tx.now))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (tx *Tx) clearDefaultAddress(customerID int64) error {
	_, err := tx.exec(`UPDATE customer_addresses SET is_default = 0 WHERE customer_id = ? AND is_default = 1`, customerID)
	return err
}

// CustomerAddress is the customer's address with the id: another
// customer's is ErrNotFound.
func (tx *Tx) CustomerAddress(customerID, id int64) (*CustomerAddress, error) {
	return scanAddress(tx.queryRow(`SELECT `+addressColumns+` FROM customer_addresses WHERE id = ? AND customer_id = ?`, id, customerID))
}

// UpdateCustomerAddress replaces the fields of an address of the customer.
func (tx *Tx) UpdateCustomerAddress(a *CustomerAddress) error {
	if a.IsDefault {
		if err := tx.clearDefaultAddress(a.CustomerID); err != nil {
			return err
		}
	}
	lon, lat := coords(a)
	res, err := tx.exec(`UPDATE customer_addresses SET name = ?, gender = ?, phone = ?, address = ?, longitude = ?, latitude = ?,
		is_default = ?, updated_at = ? WHERE id = ? AND customer_id = ?`, a.Name, a.Gender, a.Phone, a.Address, lon, lat,
		boolInt(a.IsDefault), ms(tx.now), a.ID, a.CustomerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SetDefaultCustomerAddress makes the address the customer's only default.
func (tx *Tx) SetDefaultCustomerAddress(customerID, id int64) error {
	if _, err := tx.CustomerAddress(customerID, id); err != nil {
		return err
	}
	if err := tx.clearDefaultAddress(customerID); err != nil {
		return err
	}
	_, err := tx.exec(`UPDATE customer_addresses SET is_default = 1, updated_at = ? WHERE id = ?`, ms(tx.now), id)
	return err
}

// DeleteCustomerAddress removes an address of the customer.
func (tx *Tx) DeleteCustomerAddress(customerID, id int64) error {
	res, err := tx.exec(`DELETE FROM customer_addresses WHERE id = ? AND customer_id = ?`, id, customerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// CustomerAddresses lists the customer's addresses, the default first.
func (db *DB) CustomerAddresses(ctx context.Context, customerID int64) ([]CustomerAddress, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+addressColumns+` FROM customer_addresses WHERE customer_id = ?
		ORDER BY is_default DESC, id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CustomerAddress
	for rows.Next() {
		a, err := scanAddress(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}
