package console

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A browser session lasts a long shift; it is renewed while in use.
const (
	sessionTTL    = 14 * time.Hour
	sessionCookie = "posbridge_session"
	sessionKeyLen = 32
)

// session is what a signed session cookie says.
type session struct {
	nonce   [16]byte
	expires time.Time
}

// sessionKeeper issues and checks session cookies. They are signed with a
// key kept in the data directory, so a daemon restart does not log the
// counter tablet out, and they name the PIN they were opened with, so that
// changing console.pin logs every browser out. They also carry the session
// epoch, a number kept in the data directory that a logout raises: a
// logout ends every PIN session, and stays done after a restart.
type sessionKeeper struct {
	key     []byte
	pinTag  []byte
	now     func() time.Time
	dataDir string
	log     *slog.Logger

	mu      sync.Mutex
	epoch   uint32
	revoked map[[16]byte]time.Time // logged-out nonces until they expire (if the epoch cannot be saved)
}

func newSessionKeeper(dataDir, pin string, now func() time.Time, log *slog.Logger) *sessionKeeper {
	key, err := loadSessionKey(dataDir)
	if err != nil {
		log.Warn("console sessions will not survive a restart", "err", err)
		key = make([]byte, sessionKeyLen)
		_, _ = rand.Read(key)
	}
	k := &sessionKeeper{key: key, now: now, dataDir: dataDir, log: log, revoked: map[[16]byte]time.Time{}}
	k.pinTag = k.mac("pin", []byte(pin))[:8]
	if k.epoch, err = loadSessionEpoch(dataDir); err != nil {
		// Unreadable: nobody's cookie is trusted, everyone logs in again.
		log.Warn("console session epoch unreadable; every tablet must log in again", "err", err)
		var b [4]byte
		_, _ = rand.Read(b[:])
		k.epoch = binary.BigEndian.Uint32(b[:]) | 1
	}
	return k
}

// loadSessionKey reads the signing key from the data directory, creating it
// on first use.
func loadSessionKey(dataDir string) ([]byte, error) {
	if dataDir == "" {
		return nil, errors.New("no data directory")
	}
	path := filepath.Join(dataDir, "console-session.key")
	key, err := os.ReadFile(path)
	if err == nil && len(key) == sessionKeyLen {
		return key, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key = make([]byte, sessionKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, key, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return key, nil
}

func (k *sessionKeeper) mac(purpose string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// issue opens a new session.
func (k *sessionKeeper) issue() session {
	var s session
	_, _ = rand.Read(s.nonce[:])
	s.expires = k.now().Add(sessionTTL)
	return s
}

// Cookie payloads: version 1 is version | expires (unix s) | nonce | pin
// tag; version 2 adds the session epoch. Each is followed by its MAC.
const (
	payloadV1 = 1 + 8 + 16 + 8
	payloadV2 = payloadV1 + 4
)

// encode writes a version 2 payload and its MAC.
func (k *sessionKeeper) encode(s session) string {
	payload := make([]byte, 0, payloadV2)
	payload = append(payload, 2)
	payload = binary.BigEndian.AppendUint64(payload, uint64(s.expires.Unix()))
	payload = append(payload, s.nonce[:]...)
	payload = append(payload, k.pinTag...)
	payload = binary.BigEndian.AppendUint32(payload, k.currentEpoch())
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(k.mac("session", payload))
}

func (k *sessionKeeper) decode(v string) (session, bool) {
	enc := base64.RawURLEncoding
	p64, m64, ok := strings.Cut(v, ".")
	if !ok {
		return session{}, false
	}
	payload, err1 := enc.DecodeString(p64)
	sig, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return session{}, false
	}
	switch {
	case len(payload) == payloadV2 && payload[0] == 2:
		if binary.BigEndian.Uint32(payload[payloadV1:]) != k.currentEpoch() {
			return session{}, false // opened before the last logout
		}
	case len(payload) == payloadV1 && payload[0] == 1:
		// Written before sessions had an epoch: good until the first logout.
		if k.currentEpoch() != 0 {
			return session{}, false
		}
	default:
		return session{}, false
	}
	if !hmac.Equal(sig, k.mac("session", payload)) || !bytes.Equal(payload[25:33], k.pinTag) {
		return session{}, false
	}
	var s session
	s.expires = time.Unix(int64(binary.BigEndian.Uint64(payload[1:9])), 0)
	copy(s.nonce[:], payload[9:25])
	if !k.now().Before(s.expires) || s.expires.After(k.now().Add(sessionTTL+time.Minute)) {
		return session{}, false
	}
	k.mu.Lock()
	_, gone := k.revoked[s.nonce]
	k.mu.Unlock()
	return s, !gone
}

func (k *sessionKeeper) fromRequest(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	return k.decode(c.Value)
}

// csrf is the session's CSRF token: derived from its nonce, so renewing the
// cookie keeps it and nothing needs storing.
func (k *sessionKeeper) csrf(s session) string {
	return base64.RawURLEncoding.EncodeToString(k.mac("csrf", s.nonce[:])[:18])
}

func (k *sessionKeeper) setCookie(w http.ResponseWriter, r *http.Request, s session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: k.encode(s), Path: "/", Expires: s.expires,
		MaxAge: int(s.expires.Sub(k.now()).Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// renew extends a session past half its life, keeping its nonce (and CSRF token).
func (k *sessionKeeper) renew(w http.ResponseWriter, r *http.Request, s session) {
	if s.expires.Sub(k.now()) < sessionTTL/2 {
		s.expires = k.now().Add(sessionTTL)
		k.setCookie(w, r, s)
	}
}

func (k *sessionKeeper) currentEpoch() uint32 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.epoch
}

// revoke is a logout: the session epoch goes up and is saved, which ends
// every PIN session, now and after a restart (a lost tablet is locked out
// by logging out on any other). Should the epoch not save, this session is
// still refused until the daemon restarts.
func (k *sessionKeeper) revoke(s session) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	for n, exp := range k.revoked {
		if now.After(exp) {
			delete(k.revoked, n)
		}
	}
	k.revoked[s.nonce] = s.expires.Add(time.Minute)
	k.epoch++
	if err := saveSessionEpoch(k.dataDir, k.epoch); err != nil {
		k.log.Error("console logout not saved: after a restart the logged-out sessions work again until they expire", "err", err)
	}
}

const sessionEpochFile = "console-session.epoch"

// loadSessionEpoch reads the session epoch (0 when none was saved yet).
func loadSessionEpoch(dataDir string) (uint32, error) {
	if dataDir == "" {
		return 0, nil
	}
	b, err := os.ReadFile(filepath.Join(dataDir, sessionEpochFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", sessionEpochFile, err)
	}
	return uint32(n), nil
}

// saveSessionEpoch writes the epoch durably: a logout that a power cut
// undid would let the cookie in again.
func saveSessionEpoch(dataDir string, epoch uint32) error {
	if dataDir == "" {
		return errors.New("no data directory")
	}
	path := filepath.Join(dataDir, sessionEpochFile)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.WriteString(strconv.FormatUint(uint64(epoch), 10) + "\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}
