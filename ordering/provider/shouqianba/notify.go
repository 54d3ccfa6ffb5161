package shouqianba

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrBadNotification is a notification whose signature does not verify
// against the configured public key.
var ErrBadNotification = errors.New("shouqianba: notification signature does not verify")

// NotificationRef is what a notification names. Its status claims are not
// kept: only a query says what an order is.
type NotificationRef struct {
	SN       string
	ClientSN string
}

// VerifiesNotifications reports whether a public key is configured.
func (c *Client) VerifiesNotifications() bool { return c.pub != nil }

// ParseNotification checks the signature when a public key is configured
// (RSA-SHA256 over the raw body, the base64 signature being the last
// space-separated token of Authorization) and returns the order it names.
func (c *Client) ParseNotification(authorization string, body []byte) (NotificationRef, error) {
	if c.pub != nil {
		if err := verifyRSA(c.pub, authorization, body); err != nil {
			return NotificationRef{}, err
		}
	}
	var n struct {
		SN       string `json:"sn"`
		ClientSN string `json:"client_sn"`
	}
	if err := json.Unmarshal(body, &n); err != nil {
		return NotificationRef{}, fmt.Errorf("shouqianba notification: not JSON: %w", err)
	}
	if n.ClientSN == "" && n.SN == "" {
		return NotificationRef{}, errors.New("shouqianba notification: names no order")
	}
	return NotificationRef{SN: n.SN, ClientSN: n.ClientSN}, nil
}

func verifyRSA(pub *rsa.PublicKey, authorization string, body []byte) error {
	fields := strings.Fields(authorization)
	if len(fields) == 0 {
		return ErrBadNotification
	}
	sig, err := base64.StdEncoding.DecodeString(fields[len(fields)-1])
	if err != nil {
		return ErrBadNotification
	}
	sum := sha256.Sum256(body)
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
		return ErrBadNotification
	}
	return nil
}
