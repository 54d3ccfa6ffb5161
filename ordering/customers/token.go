package customers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultTTL is how long a login lasts (the seed's example ttl is 86400).
const DefaultTTL = 24 * time.Hour

// Tokens issues and checks the page's logins: HS256 JWTs (golang-jwt/jwt v5)
// naming the customer and the restaurant.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// Claims are what a login token says.
type Claims struct {
	CustomerID   int64
	RestaurantID int64
	ExpiresAt    time.Time
}

// ErrBadToken is any token that does not verify (401 with detail).
var ErrBadToken = errors.New("登录已失效，请重新登录")

const issuer = "posbridge-ordering"

// NewTokens uses secret (at least 32 bytes).
func NewTokens(secret []byte, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("the JWT secret must be at least 32 bytes")
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: secret, ttl: ttl, now: now}, nil
}

// LoadOrCreateSecret reads the secret file, or writes a new random one
// (0600) when there is none: `ordering.jwt_secret_file`, by default in the
// data folder. A readable-by-others or short file is refused.
func LoadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create the JWT secret %s: %w", path, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(raw) + "\n")
		if err := errorsJoin(werr, f.Sync(), f.Close()); err != nil {
			return nil, fmt.Errorf("write the JWT secret %s: %w", path, err)
		}
		return LoadOrCreateSecret(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read the JWT secret %s: %w", path, err)
	}
	// Windows has no such mode bits (Go reports 0666): the data folder's
	// ACL, set by the installer, guards it there.
	if info, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && info.Mode().Perm()&0o004 != 0 {
		return nil, fmt.Errorf("the JWT secret %s is readable by every account: chmod 600 %s", path, path)
	}
	s := strings.TrimSpace(string(b))
	if len(s) < 32 {
		return nil, fmt.Errorf("the JWT secret %s is shorter than 32 characters: delete it and posbridge writes a new one (every customer logs in again)", path)
	}
	return []byte(s), nil
}

func errorsJoin(errs ...error) error { return errors.Join(errs...) }

// Issue makes a login token for the customer; it returns the token and its
// lifetime in seconds (§3.2's ttl).
func (t *Tokens) Issue(customerID, restaurantID int64) (string, int, error) {
	now := t.now()
	claims := jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   strconv.FormatInt(customerID, 10),
		Audience:  jwt.ClaimStrings{strconv.FormatInt(restaurantID, 10)},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return s, int(t.ttl / time.Second), err
}

// Verify checks a token (signature, algorithm, issuer, expiry) and says whose
// it is.
func (t *Tokens) Verify(token string) (Claims, error) {
	var rc jwt.RegisteredClaims
	parsed, err := jwt.ParseWithClaims(token, &rc, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(issuer), jwt.WithTimeFunc(t.now),
		jwt.WithExpirationRequired())
	if err != nil || !parsed.Valid {
		return Claims{}, ErrBadToken
	}
	cid, err1 := strconv.ParseInt(rc.Subject, 10, 64)
	if err1 != nil || len(rc.Audience) != 1 {
		return Claims{}, ErrBadToken
	}
	rid, err2 := strconv.ParseInt(rc.Audience[0], 10, 64)
	if err2 != nil {
		return Claims{}, ErrBadToken
	}
	return Claims{CustomerID: cid, RestaurantID: rid, ExpiresAt: rc.ExpiresAt.Time}, nil
}

// FromHeader reads "Authorization: Bearer <token>" (the seed's scheme), and
// "JWT <token>" as Django REST framework JWT clients send it.
func FromHeader(h string) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || (!strings.EqualFold(scheme, "JWT") && !strings.EqualFold(scheme, "Bearer")) {
		return ""
	}
	return strings.TrimSpace(tok)
}
