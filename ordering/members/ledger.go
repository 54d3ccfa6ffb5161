package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/store"
)

// What the API answers, by seed 002 §11: 403 for a customer who has a card
// already or has none, 400 for a wrong or taken card, 429 for too many tries.
var (
	ErrHasCard        = errors.New("您已有会员卡")
	ErrNoCard         = errors.New("您还没有会员卡，请先开卡或绑定")
	ErrWrongCard      = errors.New("卡号或密码不正确")
	ErrCardTaken      = errors.New("这张卡已绑定其他账号")
	ErrNeedsPassword  = errors.New("这张卡有余额但未设密码，请到店内设置密码后再绑定")
	ErrTooManyTries   = errors.New("尝试次数过多，请一小时后再试")
	ErrInsufficient   = errors.New("会员卡余额不足")
	ErrPasswordNeeded = errors.New("请输入会员卡密码")
)

// Bind tries: 5 per card number per hour (issue 18), counted before the
// password is compared.
const (
	bindTries      = 5
	bindTryWindow  = time.Hour
	passwordMaxLen = 64 // bcrypt reads 72 bytes; longer input is refused, not cut
)

// Ledger is the member ledger of every restaurant.
type Ledger struct {
	db  *store.DB
	cfg Config
	// bcrypt costs ~50 ms of a core: a cap keeps a burst of guesses from
	// starving the order flow.
	slots chan struct{}
	cost  int // bcrypt cost of card passwords
	dummy func() []byte
}

// New makes the ledger over the store's database.
func New(db *store.DB, cfg Config) *Ledger {
	l := &Ledger{db: db, cfg: cfg, slots: make(chan struct{}, 2), cost: bcrypt.DefaultCost}
	l.dummy = sync.OnceValue(func() []byte {
		h, _ := bcrypt.GenerateFromPassword([]byte("posbridge-no-such-card"), l.cost)
		return h
	})
	return l
}

// Config is the section the ledger runs with.
func (l *Ledger) Config() Config { return l.cfg }

// Card is a card as the page and the console see it.
type Card struct {
	store.MemberCard
	Level Level
}

func (l *Ledger) card(c *store.MemberCard) Card {
	return Card{MemberCard: *c, Level: l.cfg.LevelFor(c.SpentFen)}
}

// CustomerActor names a customer in the ledger.
func CustomerActor(customerID string) string { return "customer:" + customerID }

// StaffActor names staff in the ledger.
func StaffActor(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		name = "staff"
	}
	return "staff:" + name
}

// Open gives the customer a new card of the restaurant (§11.1), numbered
// from the restaurant and a sequence.
func (l *Ledger) Open(ctx context.Context, restaurantID int64, customerID string) (Card, error) {
	var out *store.MemberCard
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.MemberCardOf(restaurantID, customerID); err == nil {
			return ErrHasCard
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for n := 0; ; n++ {
			no := cardNumber(restaurantID, tx.Now(), n)
			id, err := tx.InsertMemberCard(&store.MemberCard{RestaurantID: restaurantID, CardNo: no, CustomerID: customerID, IssuedBy: "opened"})
			if errors.Is(err, store.ErrMemberCardExists) && n < 100 {
				if _, err := tx.MemberCardOf(restaurantID, customerID); err == nil {
					return ErrHasCard
				}
				continue // the number is taken: the next one
			}
			if err != nil {
				return err
			}
			out, err = tx.MemberCardByID(id)
			return err
		}
	})
	if err != nil {
		return Card{}, err
	}
	return l.card(out), nil
}

// cardNumber: restaurant, day and a counter, digits only (cards are read
// aloud and typed at the counter).
func cardNumber(restaurantID int64, now time.Time, n int) string {
	return fmt.Sprintf("%d%s%04d", restaurantID, now.Format("060102"), now.UnixMilli()%10000+int64(n))
}

// Issue is a card staff hand out or import (not bound yet), with an
// opening balance as its first ledger row. A card with a balance must have
// a password: anyone who reads its number could bind it otherwise.
func (l *Ledger) Issue(ctx context.Context, restaurantID int64, cardNo, password string, openingFen order.Fen, actor string) (Card, error) {
	cardNo = strings.TrimSpace(cardNo)
	if cardNo == "" || len(cardNo) > 32 {
		return Card{}, fmt.Errorf("卡号须为 1–32 个字符")
	}
	if openingFen < 0 {
		return Card{}, fmt.Errorf("初始余额不能为负")
	}
	if openingFen > 0 && password == "" {
		return Card{}, ErrNeedsPassword
	}
	hash, err := l.hash(password)
	if err != nil {
		return Card{}, err
	}
	var out *store.MemberCard
	err = l.db.Write(ctx, func(tx *store.Tx) error {
		id, err := tx.InsertMemberCard(&store.MemberCard{RestaurantID: restaurantID, CardNo: cardNo, PasswordHash: hash, IssuedBy: "staff"})
		if err != nil {
			return err
		}
		if openingFen > 0 {
			if _, _, err := tx.AppendMemberEntry(store.MemberEntry{CardID: id, Account: store.AccountBalance, Delta: int64(openingFen),
				Reason: "opening", Actor: actor, IdemKey: fmt.Sprintf("opening:%d", id)}); err != nil {
				return err
			}
		}
		out, err = tx.MemberCardByID(id)
		return err
	})
	if err != nil {
		return Card{}, err
	}
	return l.card(out), nil
}

func (l *Ledger) hash(password string) (string, error) {
	if password == "" {
		return "", nil
	}
	if len(password) > passwordMaxLen {
		return "", fmt.Errorf("密码过长（最多 %d 个字符）", passwordMaxLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), l.cost)
	return string(h), err
}

// Bind binds a card staff issued to the customer (§11.2). Each try is
// counted before the password is compared: five per card number an hour,
// however many arrive at once.
func (l *Ledger) Bind(ctx context.Context, restaurantID int64, customerID, cardNo, password string) (Card, error) {
	cardNo = strings.TrimSpace(cardNo)
	if len(cardNo) > 32 || len(password) > passwordMaxLen {
		return Card{}, ErrWrongCard
	}
	var card *store.MemberCard
	err := l.db.Write(ctx, func(tx *store.Tx) error {
		card = nil
		if _, err := tx.MemberCardOf(restaurantID, customerID); err == nil {
			return ErrHasCard
		}
		ok, err := tx.ReserveMemberBindTry(restaurantID, cardNo, bindTries, bindTryWindow)
		if err != nil {
			return err
		}
		if !ok {
			return ErrTooManyTries
		}
		c, err := tx.MemberCardByNo(restaurantID, cardNo)
		if errors.Is(err, store.ErrNotFound) {
			return nil // wrong, said after the (absent) password check
		}
		card = c
		return err
	})
	if err != nil {
		return Card{}, err
	}
	if !l.passwordOK(card, password) {
		return Card{}, ErrWrongCard
	}
	var out *store.MemberCard
	err = l.db.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.MemberCardByID(card.ID)
		if err != nil {
			return err
		}
		switch {
		case c.CustomerID == customerID:
			out = c
			return nil
		case c.CustomerID != "":
			return ErrCardTaken
		case c.BalanceFen > 0 && c.PasswordHash == "":
			return ErrNeedsPassword
		}
		if err := tx.BindMemberCard(c.ID, customerID); errors.Is(err, store.ErrMemberCardExists) {
			return ErrHasCard
		} else if err != nil {
			return err
		}
		out, err = tx.MemberCardByID(c.ID)
		return err
	})
	if err != nil {
		return Card{}, err
	}
	return l.card(out), nil
}

// passwordOK compares in a bounded number of bcrypt slots; an unknown card
// costs a comparison too, so timing does not tell numbers that exist.
func (l *Ledger) passwordOK(c *store.MemberCard, password string) bool {
	l.slots <- struct{}{}
	defer func() { <-l.slots }()
	if c == nil {
		_ = bcrypt.CompareHashAndPassword(l.dummy(), []byte(password))
		return false
	}
	if c.PasswordHash == "" {
		return password == ""
	}
	return bcrypt.CompareHashAndPassword([]byte(c.PasswordHash), []byte(password)) == nil
}

// CardOf is the customer's card (§11.3), ErrNoCard when there is none.
func (l *Ledger) CardOf(ctx context.Context, restaurantID int64, customerID string) (Card, error) {
	out, err := l.db.MemberCardOf(ctx, restaurantID, customerID)
	if errors.Is(err, store.ErrNotFound) {
		return Card{}, ErrNoCard
	}
	if err != nil {
		return Card{}, err
	}
	return l.card(out), nil
}

// Unbind releases the customer's card (§11.6); its balance stays on it.
func (l *Ledger) Unbind(ctx context.Context, restaurantID int64, customerID string) error {
	return l.db.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.MemberCardOf(restaurantID, customerID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoCard
		}
		if err != nil {
			return err
		}
		return tx.BindMemberCard(c.ID, "")
	})
}
