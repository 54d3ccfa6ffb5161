package console

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
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
// changing console.pin logs every browser out.
type sessionKeeper struct {
	key    []byte
	pinTag []byte
	now    func() time.Time

	mu      sync.Mutex
	revoked map[[16]byte]time.Time // logged-out nonces until they expire
}

func newSessionKeeper(dataDir, pin string, now func() time.Time, log *slog.Logger) *sessionKeeper {
	key, err := loadSessionKey(dataDir)
	if err != nil {
		log.Warn("console sessions will not survive a restart", "err", err)
		key = make([]byte, sessionKeyLen)
		_, _ = rand.Read(key)
	}
	k := &sessionKeeper{key: key, now: now, revoked: map[[16]byte]time.Time{}}
	k.pinTag = k.mac("pin", []byte(pin))[:8]
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

// encode is version | expires (unix s) | nonce | pin tag, then its MAC.
func (k *sessionKeeper) encode(s session) string {
	payload := make([]byte, 0, 1+8+16+8)
	payload = append(payload, 1)
	payload = binary.BigEndian.AppendUint64(payload, uint64(s.expires.Unix()))
	payload = append(payload, s.nonce[:]...)
	payload = append(payload, k.pinTag...)
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
	if err1 != nil || err2 != nil || len(payload) != 1+8+16+8 || payload[0] != 1 {
		return session{}, false
	}
	if !hmac.Equal(sig, k.mac("session", payload)) || !bytes.Equal(payload[25:], k.pinTag) {
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

// revoke ends a session (logout) and forgets revocations that expired.
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
}

func clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}
