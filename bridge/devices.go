package bridge

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posbridge/posbridge/store"
)

// Device kinds: what a paired screen may show.
const (
	DeviceKitchen = "kitchen"
	DevicePickup  = "pickup"
)

// PairingValid is how long a pairing code works: long enough to walk to the
// TV and type it, short enough that a code on a note is soon worthless.
const PairingValid = 30 * time.Minute

// pairAlphabet leaves out 0/O, 1/I/L: the code is typed on a TV remote.
const pairAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// PairCodeLen gives 31^8 ≈ 8.5e11 codes, against a guess limit per client.
const PairCodeLen = 8

// ErrBadPairCode is a pairing code that is unknown, used or expired.
var ErrBadPairCode = &Error{Code: ENotFound, Message: "配对码无效或已过期：请在控制台「屏幕」里重新生成配对链接"}

// Device is a paired screen as a request carries it: what it may show.
type Device struct {
	ID      int64
	Name    string
	Kind    string // DeviceKitchen | DevicePickup
	Station string // a kitchen screen's station; a pickup TV's store ("" = all)
}

func deviceOf(d *store.Device) *Device {
	return &Device{ID: d.ID, Name: d.Name, Kind: d.Kind, Station: d.Station}
}

// ErrUnknownDevice is a token no live device holds (never paired, or revoked).
var ErrUnknownDevice = &Error{Code: ENotFound, Message: "屏幕未配对或已撤销"}

// DeviceView is a device as the console lists it (never its token).
type DeviceView struct {
	ID          int64
	Name        string
	Kind        string
	Station     string
	Paired      bool
	PairCode    string // only right after it was made
	PairExpires time.Time
	CreatedAt   time.Time
	CreatedBy   string
	PairedAt    time.Time
	LastSeenAt  time.Time
	LastIP      string
	RevokedAt   time.Time
}

func deviceView(d *store.Device) DeviceView {
	v := DeviceView{ID: d.ID, Name: d.Name, Kind: d.Kind, Station: d.Station, Paired: d.TokenHash != "", CreatedAt: sh(d.CreatedAt),
		CreatedBy: d.CreatedBy, PairedAt: sh(d.PairedAt), LastSeenAt: sh(d.LastSeenAt), LastIP: d.LastIP, RevokedAt: sh(d.RevokedAt)}
	if d.PairHash != "" {
		v.PairExpires = sh(d.PairExpires)
	}
	return v
}

// SecretHash is how device tokens and pairing codes are stored.
func SecretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newPairCode() string {
	b := make([]byte, PairCodeLen)
	out := make([]byte, PairCodeLen)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	for i, v := range b {
		// 256 % 31 = 8: the first eight letters come up a hair more often,
		// which costs well under a bit of the code's 39.
		out[i] = pairAlphabet[int(v)%len(pairAlphabet)]
	}
	return string(out)
}

// NormalizePairCode accepts what people type: lower case, spaces, dashes.
func NormalizePairCode(s string) string {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s))
	return s
}

// CreateDevice adds a screen for staff to pair; the answer carries its
// pairing code, shown once.
func (b *Bridge) CreateDevice(ctx context.Context, name, kind, station, actor string) (DeviceView, error) {
	name = strings.TrimSpace(name)
	station = strings.TrimSpace(station)
	switch {
	case name == "":
		return DeviceView{}, &Error{Code: EInvalid, Message: "请填写屏幕名称，例如：热菜平板、取餐电视"}
	case utf8.RuneCountInString(name) > 40:
		return DeviceView{}, &Error{Code: EInvalid, Message: "屏幕名称最多 40 个字"}
	}
	switch kind {
	case DeviceKitchen:
		if _, err := b.stationNamed(station); err != nil {
			return DeviceView{}, &Error{Code: EInvalid, Message: ErrorMessage(err)}
		}
	case DevicePickup:
		if station != "" && !b.knownStore(station) {
			return DeviceView{}, &Error{Code: EInvalid, Message: "没有这个门店：" + station}
		}
	default:
		return DeviceView{}, &Error{Code: EInvalid, Message: "屏幕类型须为 kitchen（后厨屏）或 pickup（取餐屏）"}
	}
	code := newPairCode()
	d := &store.Device{Name: name, Kind: kind, Station: station, PairHash: SecretHash(code), CreatedBy: actor}
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		d.PairExpires = tx.Now().Add(PairingValid)
		return tx.AddDevice(d)
	})
	if errors.Is(err, store.ErrTooManyDevices) {
		return DeviceView{}, &Error{Code: EInvalid, Message: "屏幕已达上限，请先撤销不用的屏幕"}
	}
	if err != nil {
		return DeviceView{}, err
	}
	v := deviceView(d)
	v.PairCode = code
	return v, nil
}

func (b *Bridge) knownStore(id string) bool {
	for _, s := range b.cfg.Stores {
		if s.ID == id {
			return true
		}
	}
	return false
}

// RepairDevice gives a device a new pairing code (a new tablet, a reset TV).
func (b *Bridge) RepairDevice(ctx context.Context, id int64) (DeviceView, error) {
	code := newPairCode()
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		return tx.NewPairing(id, SecretHash(code), tx.Now().Add(PairingValid))
	})
	if err != nil {
		return DeviceView{}, err
	}
	d, err := b.db.Device(ctx, id)
	if err != nil {
		return DeviceView{}, err
	}
	v := deviceView(d)
	v.PairCode = code
	return v, nil
}

// PairDevice spends a pairing code and returns the device's new long-lived
// token, which only the screen keeps (the database has its hash).
func (b *Bridge) PairDevice(ctx context.Context, code, ip string) (*Device, string, error) {
	code = NormalizePairCode(code)
	if len(code) != PairCodeLen {
		return nil, "", ErrBadPairCode
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	var d *store.Device
	err := b.write(ctx, func(tx *store.Tx, a *after) error {
		var err error
		d, err = tx.Pair(SecretHash(code), SecretHash(token), ip)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", ErrBadPairCode
	}
	if err != nil {
		return nil, "", err
	}
	b.log.Info("screen paired", "device", d.ID, "name", d.Name, "kind", d.Kind, "station", d.Station, "client", ip)
	return deviceOf(d), token, nil
}

// RevokeDevice ends a device's access at once.
func (b *Bridge) RevokeDevice(ctx context.Context, id int64, actor string) error {
	err := b.write(ctx, func(tx *store.Tx, a *after) error { return tx.RevokeDevice(id) })
	if err == nil {
		b.log.Info("screen revoked", "device", id, "by", actor)
	}
	return err
}

// TouchDevice notes that a device was seen (throttled by the caller).
func (b *Bridge) TouchDevice(ctx context.Context, id int64, ip string) error {
	return b.write(ctx, func(tx *store.Tx, a *after) error { return tx.TouchDevice(id, ip) })
}

// DeviceByToken finds the live device a screen's token belongs to.
func (b *Bridge) DeviceByToken(ctx context.Context, token string) (*Device, error) {
	if token == "" {
		return nil, ErrUnknownDevice
	}
	d, err := b.db.DeviceByToken(ctx, SecretHash(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownDevice
	}
	if err != nil {
		return nil, err
	}
	return deviceOf(d), nil
}

// Devices lists the devices for the console.
func (b *Bridge) Devices(ctx context.Context, all bool) ([]DeviceView, error) {
	ds, err := b.db.Devices(ctx, all)
	if err != nil {
		return nil, err
	}
	out := make([]DeviceView, 0, len(ds))
	for _, d := range ds {
		out = append(out, deviceView(d))
	}
	return out, nil
}
