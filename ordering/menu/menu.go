// Package menu is the menu file of the scan-to-order channel: the file a
// store edits (YAML or JSON) with its restaurant (seed 002 §2.1) and its
// products (§5.2), loaded with precise problems, edited with its comments
// kept, and watched for changes. Money is integer fen; what the seed computes
// (today, weekday, tz_*) and what the store's config owns (restaurant id,
// time zone, business-day start) are not in the file.
package menu

import (
	"github.com/posbridge/posbridge/ordering/money"
)

// Fen is an amount in fen.
type Fen = money.Fen

// Menu is a loaded, valid menu. It is never modified after loading: an edit
// writes the file and loads a new Menu, so readers may share one freely.
type Menu struct {
	Restaurant Restaurant
	Products   []Product

	products   map[int64]int
	tables     map[int64]int
	categories map[int64]int
}

// Restaurant is the `restaurant:` section, seed §2.1 less what is computed.
type Restaurant struct {
	Name         string
	Categories   []Category
	Takeout      Takeout
	DeliveryFee  DeliveryFee // takeout_delivery_fee
	Periods      Periods     // takeout_periods
	Tables       []Table
	PaidTypes    []PaidType
	OrderDefault *OrderDefault // 开台消费; nil when none

	IsSupportTax      bool
	ShowPrivacyPolicy bool
	ProductIncludeTax bool
	// TaxRate is the percentage for products without their own `tax` and
	// for the box and delivery fees when TaxBoxFee / TaxDeliveryFee.
	TaxRate        money.Decimal
	TaxBoxFee      bool
	TaxDeliveryFee bool

	CurrencyName       string
	DecimalPlaces      int
	DecimalChar        string
	Edition            string
	IsMemberCardEnable bool

	// BoxFeeEatTypes are the eat types that pay products' box fees
	// (餐盒费 is a packaging fee: by default not for dine-in).
	BoxFeeEatTypes []EatType
	Discounts      []Discount
	Services       []Service
}

// Category is one entry of `categories`.
type Category struct {
	ID   int64
	Name string
}

// Takeout is the `takeout:` object of §2.1.
type Takeout struct {
	Slides                  []Slide
	Phones                  []string
	EatTypesEnable          [4]bool // indexed by EatType
	CNYExrate               money.Decimal
	Address                 string
	IsUserAddressReversed   bool
	Region                  string
	DeliveryTimes           []int // minutes
	CollectTimes            []int // minutes
	Longitude, Latitude     float64
	Notice                  string
	Summary                 string
	Attention               string
	ShowTotal               bool
	ShowZero                bool
	EnableService           bool
	PayMch                  string // "qf", "sqb" or ""
	LanguageType            int
	CountryCode             string
	TakeawayUseTakeoutPrice bool
}

// Slide is a banner image; an empty Link is not clickable.
type Slide struct {
	Image string
	Link  string
}

// DeliveryFee is `takeout_delivery_fee`: the display scope, the minimum order
// and the fee tiers by distance (posbridge's addition: the seed leaves the
// rule to configuration).
type DeliveryFee struct {
	Scope     string // delivery_scope, display only
	MinAmount Fen
	Tiers     []DeliveryTier // ascending by distance
}

// DeliveryTier charges Fee up to and including WithinMeters.
type DeliveryTier struct {
	WithinMeters int64
	Fee          Fen
}

// Periods is `takeout_periods`: Open and Days are indexed by weekday
// (0 Sunday … 6 Saturday).
type Periods struct {
	Open [7]bool
	Days [7][]Period
}

// Period is a business period; Start > End crosses midnight.
type Period struct {
	Start, End Clock
}

// Clock is a time of day in minutes after midnight.
type Clock int

// String writes the clock as HH:MM.
func (c Clock) String() string {
	return string([]byte{byte('0' + c/600), byte('0' + c/60%10), ':', byte('0' + c%60/10), byte('0' + c%10)})
}

// Table is one entry of `tables`: a real table (id ≥ 1) or one of the
// virtual tables of the takeout, wait-pickup and self-select stickers.
type Table struct {
	ID            int64
	Name          string
	SeatNum       int
	QRCodeVersion int
}

// The virtual tables of §1.4.
const (
	TableSelfSelect int64 = -99 // 堂食(自选): dine-in, the guest picks the table
	TableTakeout    int64 = -1  // 外卖: delivery or pickup
	TableWaitPickup int64 = -2  // 等取
)

// IsVirtual reports a sticker that stands for no real table.
func (t Table) IsVirtual() bool { return t.ID < 0 }

// EatTypes are the eat types an order from this table may have.
func (t Table) EatTypes() []EatType { return tableEatTypes(t.ID) }

func tableEatTypes(id int64) []EatType {
	switch id {
	case TableTakeout:
		return []EatType{Delivery, Pickup}
	case TableWaitPickup:
		return []EatType{WaitPickup}
	default:
		return []EatType{DineIn}
	}
}

// Allows reports whether an order of eat type e may come from table t.
func (t Table) Allows(e EatType) bool { return containsEatType(t.EatTypes(), e) }

// PaidType is one entry of `paid_types`; EatTypes nil offers it everywhere.
type PaidType struct {
	Value    int
	Label    string
	EatTypes []EatType
}

// The paid_type values of §6.5.
const (
	PaidOffline    = 1 // 线下支付
	PaidWeChat     = 2 // 微信支付
	PaidMemberCard = 3 // 会员卡
)

// OrderDefault is 开台消费: products a dine-in order must include while one
// of Periods is active.
type OrderDefault struct {
	Periods  []Period
	Products []DefaultProduct
}

// DefaultProduct names a product of `products:` and how many a table takes.
type DefaultProduct struct {
	ProductID int64
	PU        int
	Num       int
	IsBySeat  bool // Num per seat (customer_count)
}

// Discount is an order discount: Percent of the goods total (after the
// discounts before it) or a fixed Amount, from MinAmount of goods up.
type Discount struct {
	Name      string
	Percent   money.Decimal
	Amount    Fen
	MinAmount Fen
	EatTypes  []EatType // nil: every eat type
}

// Service is a service-fee line: Percent of the goods total after discounts,
// or a fixed Amount. Charged only while takeout.enable_service is 1.
type Service struct {
	Name     string
	Percent  money.Decimal
	Amount   Fen
	EatTypes []EatType
}

// Applies reports whether a rule limited to eatTypes covers e.
func Applies(eatTypes []EatType, e EatType) bool {
	return eatTypes == nil || containsEatType(eatTypes, e)
}

func containsEatType(list []EatType, e EatType) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}
