// Package views renders what the phone page reads, in seed 002's JSON
// shapes, from a loaded menu: the restaurant info (§2.1, with what the seed
// computes: today, weekday, tz_*, and the paid_types of the table) and the
// products list and detail (§5.1, §5.2, only what the table's eat types may
// order). Pure functions of the menu, the table and the clock.
package views

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
	"github.com/posbridge/posbridge/ordering/pricing"
)

// ErrUnknownTable: the table id (the QR's tid) is not in the menu (404).
var ErrUnknownTable = errors.New("桌台不存在")

// ErrUnknownProduct: no such product (404).
var ErrUnknownProduct = errors.New("商品不存在")

// Info is §2.1's reply.
type Info struct {
	ID                 int64         `json:"id"`
	Categories         []Category    `json:"categories"`
	Takeout            Takeout       `json:"takeout"`
	TakeoutDeliveryFee DeliveryFee   `json:"takeout_delivery_fee"`
	TakeoutPeriods     Periods       `json:"takeout_periods"`
	Tables             []Table       `json:"tables"`
	PaidTypes          []PaidType    `json:"paid_types"`
	OrderDefault       *OrderDefault `json:"order_default"`
	Name               string        `json:"name"`
	LocationName1      string        `json:"location_name_1"`
	Slug               string        `json:"slug"`
	IsSupportTax       bool          `json:"is_support_tax"`
	ShowPrivacyPolicy  bool          `json:"show_privacy_policy"`
	ProductIncludeTax  bool          `json:"product_include_tax"`
	CurrencyName       string        `json:"currency_name"`
	DecimalPlaces      int           `json:"decimal_places"`
	DecimalChar        string        `json:"decimal_char"`
	Edition            string        `json:"edition"`
	StartTime          string        `json:"start_time"`
	IsMemberCardEnable bool          `json:"is_member_card_enable"`
	TZOffset           int           `json:"tz_offset"` // minutes east of UTC (digest §17 #9)
	TZString           string        `json:"tz_string"`
	Today              string        `json:"today"`
	Weekday            int           `json:"weekday"`
	// PauseNotice is posbridge's, not the seed's: set while the store has
	// paused scan-to-order (置休), the sentence the page shows.
	PauseNotice string `json:"pause_notice,omitempty"`
}

// Category is one entry of categories.
type Category struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Takeout is §2.1's takeout object.
type Takeout struct {
	Slides                  []Slide       `json:"slides"`
	Phones                  []string      `json:"phones"`
	EatTypesEnable          [4]bool       `json:"eat_types_enable"`
	CNYExrate               money.Decimal `json:"cny_exrate"`
	Address                 string        `json:"address"`
	IsUserAddressReversed   bool          `json:"is_user_address_reversed"`
	Region                  string        `json:"region"`
	DeliveryTimes           []int         `json:"delivery_times"`
	CollectTimes            []int         `json:"collect_times"`
	Longitude               json.Number   `json:"longitude"`
	Latitude                json.Number   `json:"latitude"`
	Notice                  string        `json:"notice"`
	Summary                 string        `json:"summary"`
	Attention               string        `json:"attention"`
	ShowTotal               int           `json:"show_total"`
	ShowZero                int           `json:"show_zero"`
	EnableService           int           `json:"enable_service"`
	PayMch                  string        `json:"pay_mch"`
	LanguageType            int           `json:"language_type"`
	CountryCode             string        `json:"country_code"`
	TakeawayUseTakeoutPrice bool          `json:"takeaway_use_takeout_price"`
}

// Slide is a banner.
type Slide struct {
	Image string `json:"image"`
	Link  string `json:"link"`
}

// DeliveryFee is takeout_delivery_fee.
type DeliveryFee struct {
	DeliveryScope string       `json:"delivery_scope"`
	MinAmount     money.Number `json:"min_amount"`
}

// Periods is takeout_periods: "open" then the days "0"…"6".
type Periods struct {
	Open [7]bool
	Days [7][]Period
}

// Period is a business period.
type Period struct {
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
}

// MarshalJSON writes the seed's object with string day keys, in order.
func (p Periods) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	open, _ := json.Marshal(p.Open)
	b.WriteString(`{"open":`)
	b.Write(open)
	for d, list := range p.Days {
		if list == nil {
			list = []Period{}
		}
		day, err := json.Marshal(list)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, `,"%d":`, d)
		b.Write(day)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Table is one entry of tables.
type Table struct {
	TableID       int64  `json:"table_id"`
	TableName     string `json:"table_name"`
	SeatNum       int    `json:"seat_num"`
	QRCodeVersion int    `json:"qrcode_version"`
}

// PaidType is one entry of paid_types.
type PaidType struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// OrderDefault is 开台消费.
type OrderDefault struct {
	Periods  []Period              `json:"periods"`
	Products []OrderDefaultProduct `json:"products"`
}

// OrderDefaultProduct is a 开台消费 product in §2.1's shape.
type OrderDefaultProduct struct {
	ID          int64  `json:"id"`
	ItemID      int64  `json:"item_id"`
	ItemName    string `json:"item_name"`
	ItemType    int    `json:"item_type"`
	Specs       []Spec `json:"specs"`
	Thumbnail   string `json:"thumbnail"`
	Description string `json:"description"`
	Num         int    `json:"num"`
	IsBySeat    bool   `json:"is_by_seat"`
}

// InfoParams is what the restaurant info depends on besides the menu.
type InfoParams struct {
	RestaurantID int64 // from the config (ordering.restaurants[].id)
	// TableID is the QR's tid; nil lists every payment type.
	TableID  *int64
	Schedule hours.Schedule
	Now      time.Time
	// Paused is why the store takes no orders now (置休), "" while it does.
	Paused string
}

// RestaurantInfo renders §2.1. An unknown table is ErrUnknownTable.
func RestaurantInfo(m *menu.Menu, p InfoParams) (*Info, error) {
	r := &m.Restaurant
	var table *menu.Table
	if p.TableID != nil {
		t, ok := m.Table(*p.TableID)
		if !ok {
			return nil, ErrUnknownTable
		}
		table = t
	}
	local := p.Now.In(p.Schedule.Zone())
	_, offset := local.Zone()
	day := p.Schedule.BusinessDate(p.Now)
	info := &Info{
		ID: p.RestaurantID, Name: r.Name, LocationName1: r.Takeout.Address,
		Takeout:            takeout(&r.Takeout),
		TakeoutDeliveryFee: DeliveryFee{DeliveryScope: deliveryScope(&r.DeliveryFee), MinAmount: money.Number(r.DeliveryFee.MinAmount)},
		TakeoutPeriods:     periods(&r.Periods),
		IsSupportTax:       r.IsSupportTax, ShowPrivacyPolicy: r.ShowPrivacyPolicy, ProductIncludeTax: r.ProductIncludeTax,
		CurrencyName: r.CurrencyName, DecimalPlaces: r.DecimalPlaces, DecimalChar: r.DecimalChar, Edition: r.Edition,
		StartTime:          clockSeconds(p.Schedule.DayStart),
		IsMemberCardEnable: r.IsMemberCardEnable,
		TZOffset:           offset / 60, TZString: local.Format("-07:00"),
		Today: day.Format("2006-01-02"), Weekday: int(day.Weekday()), PauseNotice: p.Paused,
		Categories: []Category{}, Tables: []Table{}, PaidTypes: []PaidType{},
	}
	for _, c := range r.Categories {
		info.Categories = append(info.Categories, Category{c.ID, c.Name})
	}
	for _, t := range r.Tables {
		info.Tables = append(info.Tables, Table{t.ID, t.Name, t.SeatNum, t.QRCodeVersion})
	}
	paid := r.PaidTypes
	if table != nil {
		paid = pricing.PaidTypesAt(m, table)
	}
	for _, pt := range paid {
		info.PaidTypes = append(info.PaidTypes, PaidType{pt.Value, pt.Label})
	}
	if od := r.OrderDefault; od != nil {
		info.OrderDefault = &OrderDefault{Periods: periodList(od.Periods), Products: []OrderDefaultProduct{}}
		for _, dp := range od.Products {
			pr, _ := m.Product(dp.ProductID)
			s, _ := pr.Spec(dp.PU)
			info.OrderDefault.Products = append(info.OrderDefault.Products, OrderDefaultProduct{
				ID: pr.ID, ItemID: pr.ItemID, ItemName: pr.Name, ItemType: pr.ItemType,
				Specs:     []Spec{{PU: s.PU, Price: money.Number(s.Price), Unit: s.Unit, TakeoutPrice: money.Number(s.TakeoutPrice)}},
				Thumbnail: pr.Thumbnail, Description: pr.Description, Num: dp.Num, IsBySeat: dp.IsBySeat,
			})
		}
	}
	return info, nil
}

func takeout(t *menu.Takeout) Takeout {
	out := Takeout{
		Slides: []Slide{}, Phones: append([]string{}, t.Phones...), EatTypesEnable: t.EatTypesEnable,
		CNYExrate: t.CNYExrate, Address: t.Address, IsUserAddressReversed: t.IsUserAddressReversed, Region: t.Region,
		DeliveryTimes: append([]int{}, t.DeliveryTimes...), CollectTimes: append([]int{}, t.CollectTimes...),
		Longitude: coordinate(t.Longitude), Latitude: coordinate(t.Latitude),
		Notice: t.Notice, Summary: t.Summary, Attention: t.Attention,
		ShowTotal: flag(t.ShowTotal), ShowZero: flag(t.ShowZero), EnableService: flag(t.EnableService),
		PayMch: t.PayMch, LanguageType: t.LanguageType, CountryCode: t.CountryCode,
		TakeawayUseTakeoutPrice: t.TakeawayUseTakeoutPrice,
	}
	for _, s := range t.Slides {
		out.Slides = append(out.Slides, Slide{s.Image, s.Link})
	}
	return out
}

func coordinate(v float64) json.Number { return json.Number(strconv.FormatFloat(v, 'f', -1, 64)) }

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// deliveryScope is the configured text, or "0~<last tier>" km.
func deliveryScope(f *menu.DeliveryFee) string {
	if f.Scope != "" || len(f.Tiers) == 0 {
		return f.Scope
	}
	m := f.Tiers[len(f.Tiers)-1].WithinMeters
	return "0~" + strconv.FormatFloat(float64(m)/1000, 'f', -1, 64)
}

func periods(p *menu.Periods) Periods {
	out := Periods{Open: p.Open}
	for d := range p.Days {
		out.Days[d] = periodList(p.Days[d])
	}
	return out
}

func periodList(list []menu.Period) []Period {
	out := []Period{}
	for _, p := range list {
		out = append(out, Period{p.Start.String(), p.End.String()})
	}
	return out
}

// clockSeconds writes a day start as start_time "04:00:00".
func clockSeconds(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}
