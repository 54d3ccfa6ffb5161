package store

import (
	"database/sql"
	"errors"
)

// POSKey is one key of an offline order: its outbox row and a hash of the
// request it came with.
type POSKey struct {
	Key      string
	OutboxID int64
	BodyHash string
}

// POSKeyOf reads a key (ErrNotFound when none).
func (tx *Tx) POSKeyOf(key string) (POSKey, error) {
	k := POSKey{Key: key}
	err := tx.queryRow(`SELECT outbox_id, body_hash FROM pos_keys WHERE key = ?`, key).Scan(&k.OutboxID, &k.BodyHash)
	if errors.Is(err, sql.ErrNoRows) {
		return POSKey{}, ErrNotFound
	}
	return k, err
}

// SavePOSKey records a key of an offline order.
func (tx *Tx) SavePOSKey(k POSKey) error {
	_, err := tx.exec(`INSERT INTO pos_keys(key, outbox_id, body_hash, created_at) VALUES(?,?,?,?)`, k.Key, k.OutboxID, k.BodyHash, ms(tx.now))
	return err
}
