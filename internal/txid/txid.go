// Package txid makes x-transaction-id values: random UUIDs (v4), as the
// 开个店 demos use. An outbox row keeps its id for every retry.
package txid

import (
	"crypto/rand"
	"encoding/hex"
)

// New returns a fresh random UUID.
func New() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
