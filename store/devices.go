package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Device is a screen on the LAN (a kitchen tablet, the pickup TV) that
// pairs once and then carries a token scoped to its screen.
type Device struct {
	ID          int64
	Name        string
	Kind        string // kitchen | pickup
	Station     string
	TokenHash   string
	PairHash    string
	PairExpires time.Time
	CreatedAt   time.Time
	CreatedBy   string
	PairedAt    time.Time
	LastSeenAt  time.Time
	LastIP      string
	RevokedAt   time.Time
}

// MaxDevices bounds the devices table: a store has a few screens.
const MaxDevices = 100

// ErrTooManyDevices is returned when MaxDevices live devices exist.
var ErrTooManyDevices = errors.New("too many devices")

const deviceColumns = `id, name, kind, station, token_hash, pair_hash, pair_expires, created_at, created_by,
	paired_at, last_seen_at, last_ip, revoked_at`

func scanDevice(r rowScanner) (*Device, error) {
	var d Device
	var pairExp, created, paired, seen, revoked int64
	err := r.Scan(&d.ID, &d.Name, &d.Kind, &d.Station, &d.TokenHash, &d.PairHash, &pairExp, &created, &d.CreatedBy,
		&paired, &seen, &d.LastIP, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.PairExpires, d.CreatedAt, d.PairedAt, d.LastSeenAt, d.RevokedAt = fromMS(pairExp), fromMS(created), fromMS(paired), fromMS(seen), fromMS(revoked)
	return &d, nil
}

// AddDevice creates a device waiting to pair with pairHash until pairExpires.
func (tx *Tx) AddDevice(d *Device) error {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM devices WHERE revoked_at = 0`).Scan(&n); err != nil {
		return err
	}
	if n >= MaxDevices {
		return ErrTooManyDevices
	}
	d.CreatedAt = tx.now
	res, err := tx.exec(`INSERT INTO devices(name, kind, station, pair_hash, pair_expires, created_at, created_by) VALUES(?,?,?,?,?,?,?)`,
		d.Name, d.Kind, d.Station, d.PairHash, ms(d.PairExpires), ms(d.CreatedAt), d.CreatedBy)
	if err != nil {
		return err
	}
	d.ID, err = res.LastInsertId()
	return err
}

// NewPairing gives a live device a new one-time pairing code (its old token
// keeps working until the code is used).
func (tx *Tx) NewPairing(id int64, pairHash string, expires time.Time) error {
	res, err := tx.exec(`UPDATE devices SET pair_hash = ?, pair_expires = ? WHERE id = ? AND revoked_at = 0`, pairHash, ms(expires), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Pair uses a pairing code: the device it belongs to (live, not expired)
// gets tokenHash as its only token, and the code is spent.
func (tx *Tx) Pair(pairHash, tokenHash, ip string) (*Device, error) {
	d, err := scanDevice(tx.queryRow(`SELECT `+deviceColumns+` FROM devices WHERE pair_hash = ? AND revoked_at = 0`, pairHash))
	if err != nil {
		return nil, err
	}
	if !d.PairExpires.After(tx.now) {
		return nil, ErrNotFound
	}
	if _, err := tx.exec(`UPDATE devices SET token_hash = ?, pair_hash = '', pair_expires = 0, paired_at = ?, last_seen_at = ?, last_ip = ?
		WHERE id = ?`, tokenHash, ms(tx.now), ms(tx.now), ip, d.ID); err != nil {
		return nil, err
	}
	d.TokenHash, d.PairHash, d.PairedAt, d.LastSeenAt, d.LastIP = tokenHash, "", tx.now, tx.now, ip
	return d, nil
}

// RevokeDevice ends a device's token and pairing code for good.
func (tx *Tx) RevokeDevice(id int64) error {
	res, err := tx.exec(`UPDATE devices SET revoked_at = ?, token_hash = '', pair_hash = '' WHERE id = ? AND revoked_at = 0`, ms(tx.now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// TouchDevice notes when and from where a device was last seen.
func (tx *Tx) TouchDevice(id int64, ip string) error {
	_, err := tx.exec(`UPDATE devices SET last_seen_at = ?, last_ip = ? WHERE id = ?`, ms(tx.now), ip, id)
	return err
}

// DeviceByToken finds the live device holding tokenHash.
func (db *DB) DeviceByToken(ctx context.Context, tokenHash string) (*Device, error) {
	if tokenHash == "" {
		return nil, ErrNotFound
	}
	return scanDevice(db.readRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE token_hash = ? AND revoked_at = 0`, tokenHash))
}

// Device reads one device.
func (db *DB) Device(ctx context.Context, id int64) (*Device, error) {
	return scanDevice(db.readRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
}

// Devices lists the live devices, and the revoked ones too when all is set.
func (db *DB) Devices(ctx context.Context, all bool) ([]*Device, error) {
	q := `SELECT ` + deviceColumns + ` FROM devices`
	if !all {
		q += ` WHERE revoked_at = 0`
	}
	rows, err := db.readQuery(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ScreenStations are the stations with a paired, live kitchen screen.
func (db *DB) ScreenStations(ctx context.Context) (map[string]bool, error) {
	rows, err := db.readQuery(ctx, `SELECT DISTINCT station FROM devices WHERE kind = 'kitchen' AND revoked_at = 0 AND token_hash <> ''`)
	if err != nil {
		return nil, err
	}
	names, err := scanStrings(rows)
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, err
}
