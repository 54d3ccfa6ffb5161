package customers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/posbridge/posbridge/ordering/provider/sms"
	"github.com/posbridge/posbridge/store"
)

// SMS code rules of issue 16: 6 digits, 5 minutes, one per phone per 60 s,
// void after 5 wrong tries.
const (
	codeDigits   = 6
	codeTTL      = 5 * time.Minute
	codeInterval = 60 * time.Second
	codeTries    = 5
)

// Limits bound what the store pays for SMS: per asking address and per
// restaurant, each within a day.
type Limits struct {
	PerClientPerDay     int
	PerRestaurantPerDay int
}

// DefaultLimits: a phone at a table asks a few times; a store sends a few
// hundred a day at most.
var DefaultLimits = Limits{PerClientPerDay: 10, PerRestaurantPerDay: 500}

// Errors of §3.1, §3.2 and §3.6.
var (
	ErrTooSoon      = errors.New("验证码发送过于频繁，请 60 秒后再试")
	ErrSendLimit    = errors.New("今日发送验证码次数已达上限，请明天再试")
	ErrWrongCode    = errors.New("验证码不正确或已过期")
	ErrHasPhone     = errors.New("用戶已綁定手機號碼")
	ErrPhoneInUse   = errors.New("该手机号已绑定其他账号")
	ErrBadContext   = errors.New("context 须为 login 或 register")
	ErrNoCustomer   = errors.New("账号不存在")
	errSenderNotSet = errors.New("no SMS sender")
)

// Service is the customer accounts of every restaurant.
type Service struct {
	db     *store.DB
	sender sms.Sender
	tokens *Tokens
	limits Limits
	// pepper keys the codes' hashes: a copy of the database alone does not
	// give six-digit codes away by trying a million hashes.
	pepper []byte
	log    *slog.Logger
}

// NewService makes the service; sender is the gateway client or the
// sandbox, tokens the JWT issuer (its secret also keys the code hashes).
func NewService(db *store.DB, sender sms.Sender, tokens *Tokens, limits Limits, log *slog.Logger) *Service {
	if limits.PerClientPerDay <= 0 {
		limits.PerClientPerDay = DefaultLimits.PerClientPerDay
	}
	if limits.PerRestaurantPerDay <= 0 {
		limits.PerRestaurantPerDay = DefaultLimits.PerRestaurantPerDay
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mac := hmac.New(sha256.New, tokens.secret)
	mac.Write([]byte("phone-codes"))
	return &Service{db: db, sender: sender, tokens: tokens, limits: limits, pepper: mac.Sum(nil), log: log}
}

// Tokens is the JWT issuer.
func (s *Service) Tokens() *Tokens { return s.tokens }

func (s *Service) hashCode(restaurantID int64, phone, purpose, code string) string {
	mac := hmac.New(sha256.New, s.pepper)
	fmt.Fprintf(mac, "%d\x00%s\x00%s\x00%s", restaurantID, phone, purpose, code)
	return hex.EncodeToString(mac.Sum(nil))
}

// SendCode sends a code for login or register (§3.1). The limits are
// checked and the send counted in one write, so parallel requests cannot
// pass them; the gateway then has 5 s. It returns false when the gateway
// failed (`{"send": false}`), with the error logged for the installer.
func (s *Service) SendCode(ctx context.Context, restaurantID int64, rawPhone, purpose, client string) (bool, error) {
	if purpose != sms.ContextLogin && purpose != sms.ContextRegister {
		return false, ErrBadContext
	}
	phone, err := NormalizePhone(rawPhone)
	if err != nil {
		return false, err
	}
	if s.sender == nil {
		return false, errSenderNotSet
	}
	code, err := randomCode()
	if err != nil {
		return false, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.CountSMSSends(restaurantID, phone, client, tx.Now().Add(-24*time.Hour))
		if err != nil {
			return err
		}
		switch {
		case !c.LastForPhone.IsZero() && tx.Now().Sub(c.LastForPhone) < codeInterval:
			return ErrTooSoon
		case c.Client >= s.limits.PerClientPerDay, c.Restaurant >= s.limits.PerRestaurantPerDay:
			return ErrSendLimit
		}
		if err := tx.InsertSMSSend(restaurantID, phone, client); err != nil {
			return err
		}
		return tx.InsertPhoneCode(restaurantID, phone, purpose, s.hashCode(restaurantID, phone, purpose, code), codeTTL)
	})
	if err != nil {
		return false, err
	}
	sendCtx, cancel := context.WithTimeout(ctx, sms.Timeout)
	defer cancel()
	if err := s.sender.Send(sendCtx, sms.Message{Phone: phone, Code: code, Context: purpose, RestaurantID: restaurantID}); err != nil {
		s.log.Warn("SMS code not sent", "restaurant", restaurantID, "phone", MaskPhone(phone), "err", err)
		return false, nil
	}
	s.log.Info("SMS code sent", "restaurant", restaurantID, "phone", MaskPhone(phone), "context", purpose)
	return true, nil
}

func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", codeDigits, n.Int64()), nil
}

// checkCode counts a try on the newest live code before comparing, so that
// five wrong tries void it however many arrive at once, and uses it up when
// it is right. fn runs in the same write when the code is right.
func (s *Service) checkCode(ctx context.Context, restaurantID int64, phone, purpose, code string, fn func(tx *store.Tx) error) error {
	var right bool
	var id int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		right = false
		c, err := tx.CountPhoneCodeTry(restaurantID, phone, purpose, codeTries)
		if errors.Is(err, store.ErrNotFound) {
			return ErrWrongCode
		}
		if err != nil {
			return err
		}
		id = c.ID
		right = hmac.Equal([]byte(c.CodeHash), []byte(s.hashCode(restaurantID, phone, purpose, code)))
		return nil
	})
	if err != nil {
		return err
	}
	if !right {
		return ErrWrongCode
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		used, err := tx.UsePhoneCode(id)
		if err != nil {
			return err
		}
		if !used {
			return ErrWrongCode // another request used it first
		}
		return fn(tx)
	})
}

// Login is §3.2 with an SMS code: the customer of the restaurant with the
// phone, created at the first login. Wrong or stale codes are ErrWrongCode
// (403).
func (s *Service) Login(ctx context.Context, restaurantID int64, rawPhone, code string) (customerID int64, token string, ttl int, err error) {
	phone, err := NormalizePhone(rawPhone)
	if err != nil {
		return 0, "", 0, ErrWrongCode
	}
	err = s.checkCode(ctx, restaurantID, phone, sms.ContextLogin, code, func(tx *store.Tx) error {
		c, err := tx.CustomerByPhone(restaurantID, phone)
		if errors.Is(err, store.ErrNotFound) {
			customerID, err = tx.InsertCustomer(restaurantID, phone)
			return err
		}
		if err != nil {
			return err
		}
		customerID = c.ID
		return tx.TouchCustomerLogin(c.ID)
	})
	if err != nil {
		return 0, "", 0, err
	}
	token, ttl, err = s.tokens.Issue(customerID, restaurantID)
	return customerID, token, ttl, err
}

// BindPhone is §3.6: a customer who logged in another way adds a phone,
// proved with a register code. 403 when they have one; the phone of another
// customer of the restaurant is refused.
func (s *Service) BindPhone(ctx context.Context, customerID int64, rawPhone, code string) error {
	phone, err := NormalizePhone(rawPhone)
	if err != nil {
		return err
	}
	c, err := s.db.CustomerByID(ctx, customerID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoCustomer
	}
	if err != nil {
		return err
	}
	if c.Phone != "" {
		return ErrHasPhone
	}
	return s.checkCode(ctx, c.RestaurantID, phone, sms.ContextRegister, code, func(tx *store.Tx) error {
		cur, err := tx.CustomerByID(customerID)
		if err != nil {
			return err
		}
		if cur.Phone != "" {
			return ErrHasPhone
		}
		if err := tx.SetCustomerPhone(customerID, phone); errors.Is(err, store.ErrPhoneTaken) {
			return ErrPhoneInUse
		} else if err != nil {
			return err
		}
		return nil
	})
}
