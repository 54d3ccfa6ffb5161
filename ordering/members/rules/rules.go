// Package rules is the store's member rules (ordering.members of the config
// file): levels with their discount, points per yuan, the top-up price list.
// It is apart from the ledger so that config, and what reads a Config, does
// not take in the payment adapters the ledger calls.
package rules

import (
	"fmt"
	"slices"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/money"
)

// Config is `ordering.members` of the config file.
type Config struct {
	Levels []Level `mapstructure:"levels" yaml:"levels"`
	Points Points  `mapstructure:"points" yaml:"points"`
	TopUps []TopUp `mapstructure:"top_ups" yaml:"top_ups"`
}

// Level is a card level reached by what the holder spent (fen), with its
// discount in percent of the price (90 = 九折).
type Level struct {
	Name            string `mapstructure:"name" yaml:"name"`
	MinSpent        int64  `mapstructure:"min_spent" yaml:"min_spent"`
	DiscountPercent int    `mapstructure:"discount_percent" yaml:"discount_percent"`
}

// Points: earned per whole yuan paid (floored per order), and what one point
// is worth when redeemed.
type Points struct {
	PerYuan           int64 `mapstructure:"per_yuan" yaml:"per_yuan"`
	RedeemFenPerPoint int64 `mapstructure:"redeem_fen_per_point" yaml:"redeem_fen_per_point"`
}

// TopUp is one entry of the top-up price list: pay Price, get MoneyPrice on
// the card (and BonusPoints). Yuan strings, as the seed shows them.
type TopUp struct {
	MoneyPrice  string `mapstructure:"money_price" yaml:"money_price"`
	Price       string `mapstructure:"price" yaml:"price"`
	BonusPoints int64  `mapstructure:"bonus_points" yaml:"bonus_points"`
}

// DefaultConfig: one level without a discount, a point a yuan, no top-ups.
func DefaultConfig() Config {
	return Config{Levels: []Level{{Name: "普通会员", MinSpent: 0, DiscountPercent: 100}},
		Points: Points{PerYuan: 1, RedeemFenPerPoint: 1}}
}

// PriceEntry is a top-up of the price list in fen.
type PriceEntry struct {
	CreditFen   order.Fen // put on the card (money_price)
	PayFen      order.Fen // paid (price)
	BonusPoints int64
}

// Validate returns every problem of the section, keys relative to it.
func (c Config) Validate() []string {
	var out []string
	if len(c.Levels) == 0 {
		out = append(out, "levels: at least one level is needed (min_spent 0)")
	}
	for i, l := range c.Levels {
		if l.Name == "" {
			out = append(out, fmt.Sprintf("levels[%d].name: required", i))
		}
		if l.DiscountPercent < 1 || l.DiscountPercent > 100 {
			out = append(out, fmt.Sprintf("levels[%d].discount_percent: %d must be 1–100 (90 = 九折, 100 = no discount)", i, l.DiscountPercent))
		}
		if l.MinSpent < 0 {
			out = append(out, fmt.Sprintf("levels[%d].min_spent: must not be negative (it is in fen)", i))
		}
	}
	if len(c.Levels) > 0 && slices.IndexFunc(c.Levels, func(l Level) bool { return l.MinSpent == 0 }) < 0 {
		out = append(out, "levels: one level must have min_spent 0 (the level of a new card)")
	}
	if c.Points.PerYuan < 0 || c.Points.RedeemFenPerPoint < 0 {
		out = append(out, "points: per_yuan and redeem_fen_per_point must not be negative")
	}
	for i, t := range c.TopUps {
		if _, err := t.entry(); err != nil {
			out = append(out, fmt.Sprintf("top_ups[%d]: %v", i, err))
		}
	}
	return out
}

func (t TopUp) entry() (PriceEntry, error) {
	credit, err := money.Parse(t.MoneyPrice)
	if err != nil || credit <= 0 {
		return PriceEntry{}, fmt.Errorf("money_price %q is not an amount above zero like \"100.00\"", t.MoneyPrice)
	}
	pay, err := money.Parse(t.Price)
	if err != nil || pay <= 0 {
		return PriceEntry{}, fmt.Errorf("price %q is not an amount above zero like \"90.00\"", t.Price)
	}
	if t.BonusPoints < 0 {
		return PriceEntry{}, fmt.Errorf("bonus_points must not be negative")
	}
	return PriceEntry{CreditFen: credit, PayFen: pay, BonusPoints: t.BonusPoints}, nil
}

// PriceList is the top-ups in fen, invalid entries left out (config check
// reports them).
func (c Config) PriceList() []PriceEntry {
	var out []PriceEntry
	for _, t := range c.TopUps {
		if e, err := t.entry(); err == nil {
			out = append(out, e)
		}
	}
	return out
}

// FindTopUp is the price-list entry the customer chose, compared as amounts
// ("10" is "10.00"), or false.
func (c Config) FindTopUp(moneyPrice, price string) (PriceEntry, bool) {
	credit, err1 := money.Parse(moneyPrice)
	pay, err2 := money.Parse(price)
	if err1 != nil || err2 != nil {
		return PriceEntry{}, false
	}
	for _, e := range c.PriceList() {
		if e.CreditFen == credit && e.PayFen == pay {
			return e, true
		}
	}
	return PriceEntry{}, false
}

// LevelFor is the highest level whose min_spent the holder reached.
func (c Config) LevelFor(spent int64) Level {
	best := Level{Name: "普通会员", DiscountPercent: 100}
	found := false
	for _, l := range c.Levels {
		if spent >= l.MinSpent && (!found || l.MinSpent > best.MinSpent) {
			best, found = l, true
		}
	}
	return best
}

// MemberDiscount is what the level takes off an amount, rounded down to the
// fen (a fraction of a fen stays in the price, as calc-fee shows it).
func (l Level) MemberDiscount(amount order.Fen) order.Fen {
	if l.DiscountPercent >= 100 || amount <= 0 {
		return 0
	}
	off := int64(amount) * int64(100-l.DiscountPercent) / 100
	return order.Fen(off)
}

// PointsFor is what an order paid with amount earns: floor(yuan) × per_yuan.
func (c Config) PointsFor(paid order.Fen) int64 {
	if paid <= 0 || c.Points.PerYuan <= 0 {
		return 0
	}
	return int64(paid) / 100 * c.Points.PerYuan
}
