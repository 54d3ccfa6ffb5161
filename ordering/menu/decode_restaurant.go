package menu

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// computed are §2.1 keys posbridge fills in or takes from the store's config.
var computed = map[string]string{
	"id":              "餐厅 id 由配置文件 ordering.restaurants[].id 决定，菜单里不要写",
	"start_time":      "营业日切换时间来自配置文件 stores[].day_start，菜单里不要写",
	"tz_offset":       "时区来自配置文件 stores[].timezone，菜单里不要写",
	"tz_string":       "时区来自配置文件 stores[].timezone，菜单里不要写",
	"today":           "today 由 posbridge 按门店时区计算，菜单里不要写",
	"weekday":         "weekday 由 posbridge 按门店时区计算，菜单里不要写",
	"location_name_1": "地址写在 takeout.address，location_name_1 会自动填上",
	"slug":            "slug 不使用，请删除",
}

func (d *decoder) restaurant(n *yaml.Node, path string, r *Restaurant) {
	r.CurrencyName, r.DecimalPlaces, r.DecimalChar, r.Edition = "¥", 2, ".", "cn"
	r.BoxFeeEatTypes = []EatType{Delivery, Pickup, WaitPickup}
	r.PaidTypes = []PaidType{{Value: PaidOffline, Label: paidLabel(PaidOffline)}}
	d.object(n, path, fieldSet{
		required:  []string{"name", "takeout", "takeout_periods", "tables"},
		elsewhere: computed,
		handlers: map[string]field{
			"name": func(v *yaml.Node, p string) { r.Name = d.name(v, p, 40) },
			"categories": func(v *yaml.Node, p string) {
				d.list(v, p, func(_ int, e *yaml.Node, p string) {
					var c Category
					d.object(e, p, fieldSet{required: []string{"id", "name"}, handlers: map[string]field{
						"id":   func(v *yaml.Node, p string) { c.ID = d.integer(v, p, 1, maxID) },
						"name": func(v *yaml.Node, p string) { c.Name = d.name(v, p, 20) },
					}})
					r.Categories = append(r.Categories, c)
				})
			},
			"takeout":              func(v *yaml.Node, p string) { d.takeout(v, p, &r.Takeout) },
			"takeout_delivery_fee": func(v *yaml.Node, p string) { d.deliveryFee(v, p, &r.DeliveryFee) },
			"takeout_periods":      func(v *yaml.Node, p string) { d.periods(v, p, &r.Periods) },
			"tables": func(v *yaml.Node, p string) {
				d.list(v, p, func(_ int, e *yaml.Node, p string) { r.Tables = append(r.Tables, d.table(e, p)) })
			},
			"paid_types": func(v *yaml.Node, p string) {
				r.PaidTypes = nil
				d.list(v, p, func(_ int, e *yaml.Node, p string) { r.PaidTypes = append(r.PaidTypes, d.paidType(e, p)) })
			},
			"order_default": func(v *yaml.Node, p string) {
				if !isNull(v) {
					r.OrderDefault = d.orderDefault(v, p)
				}
			},
			"is_support_tax":        func(v *yaml.Node, p string) { r.IsSupportTax = d.boolean(v, p) },
			"show_privacy_policy":   func(v *yaml.Node, p string) { r.ShowPrivacyPolicy = d.boolean(v, p) },
			"product_include_tax":   func(v *yaml.Node, p string) { r.ProductIncludeTax = d.boolean(v, p) },
			"tax_rate":              func(v *yaml.Node, p string) { r.TaxRate = d.decimal(v, p, 100) },
			"tax_box_fee":           func(v *yaml.Node, p string) { r.TaxBoxFee = d.boolean(v, p) },
			"tax_delivery_fee":      func(v *yaml.Node, p string) { r.TaxDeliveryFee = d.boolean(v, p) },
			"currency_name":         func(v *yaml.Node, p string) { r.CurrencyName = d.name(v, p, 4) },
			"decimal_places":        func(v *yaml.Node, p string) { d.decimalPlaces(v, p) },
			"decimal_char":          func(v *yaml.Node, p string) { r.DecimalChar = d.name(v, p, 1) },
			"edition":               func(v *yaml.Node, p string) { r.Edition = d.oneOf(v, p, "cn", "en") },
			"is_member_card_enable": func(v *yaml.Node, p string) { r.IsMemberCardEnable = d.boolean(v, p) },
			"box_fee_eat_types":     func(v *yaml.Node, p string) { r.BoxFeeEatTypes = d.eatTypes(v, p) },
			"discounts": func(v *yaml.Node, p string) {
				d.list(v, p, func(_ int, e *yaml.Node, p string) { r.Discounts = append(r.Discounts, d.discount(e, p)) })
			},
			"services": func(v *yaml.Node, p string) {
				d.list(v, p, func(_ int, e *yaml.Node, p string) { r.Services = append(r.Services, d.service(e, p)) })
			},
		},
	})
}

// maxID bounds ids so that they survive JavaScript's numbers on the page.
const maxID = 1<<53 - 1

func (d *decoder) decimalPlaces(v *yaml.Node, p string) {
	if n := d.integer(v, p, 0, 4); n != 2 && v.Kind == yaml.ScalarNode {
		d.add(v, p, "目前只支持 2（金额精确到分）")
	}
}

func (d *decoder) oneOf(v *yaml.Node, p string, allowed ...string) string {
	s := d.str(v, p, 20)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(a)
	}
	d.add(v, p, "应是 %s 之一，而不是 %q", strings.Join(quoted, "、"), s)
	return allowed[0]
}

var countryCode = regexp.MustCompile(`^\+[1-9][0-9]{0,3}$`)

func (d *decoder) takeout(n *yaml.Node, path string, t *Takeout) {
	t.LanguageType, t.CountryCode, t.ShowTotal = 1, "+86", true
	minutes := func(v *yaml.Node, p string) []int {
		out := []int{}
		d.list(v, p, func(_ int, e *yaml.Node, p string) { out = append(out, int(d.integer(e, p, 1, 24*60))) })
		return out
	}
	d.object(n, path, fieldSet{
		required: []string{"eat_types_enable"},
		handlers: map[string]field{
			"slides": func(v *yaml.Node, p string) {
				d.list(v, p, func(_ int, e *yaml.Node, p string) {
					var s Slide
					d.object(e, p, fieldSet{required: []string{"image"}, handlers: map[string]field{
						"image": func(v *yaml.Node, p string) { s.Image = d.name(v, p, 500) },
						"link":  func(v *yaml.Node, p string) { s.Link = d.str(v, p, 500) },
					}})
					t.Slides = append(t.Slides, s)
				})
			},
			"phones": func(v *yaml.Node, p string) {
				d.list(v, p, func(_ int, e *yaml.Node, p string) { t.Phones = append(t.Phones, d.name(e, p, 30)) })
			},
			"eat_types_enable": func(v *yaml.Node, p string) {
				v = deref(v)
				if v.Kind == yaml.SequenceNode && len(v.Content) != 4 {
					d.add(v, p, "应有 4 项，依次是 堂食、外卖配送、外卖自取、等取 是否接单，现在有 %d 项", len(v.Content))
					return
				}
				d.list(v, p, func(i int, e *yaml.Node, p string) { t.EatTypesEnable[i] = d.boolean(e, p) })
			},
			"cny_exrate":                 func(v *yaml.Node, p string) { t.CNYExrate = d.decimal(v, p, 1000) },
			"address":                    func(v *yaml.Node, p string) { t.Address = d.str(v, p, 200) },
			"is_user_address_reversed":   func(v *yaml.Node, p string) { t.IsUserAddressReversed = d.boolean(v, p) },
			"region":                     func(v *yaml.Node, p string) { t.Region = d.str(v, p, 40) },
			"delivery_times":             func(v *yaml.Node, p string) { t.DeliveryTimes = minutes(v, p) },
			"collect_times":              func(v *yaml.Node, p string) { t.CollectTimes = minutes(v, p) },
			"longitude":                  func(v *yaml.Node, p string) { t.Longitude = d.coordinate(v, p, 180) },
			"latitude":                   func(v *yaml.Node, p string) { t.Latitude = d.coordinate(v, p, 90) },
			"notice":                     func(v *yaml.Node, p string) { t.Notice = d.str(v, p, 1000) },
			"summary":                    func(v *yaml.Node, p string) { t.Summary = d.str(v, p, 1000) },
			"attention":                  func(v *yaml.Node, p string) { t.Attention = d.str(v, p, 1000) },
			"show_total":                 func(v *yaml.Node, p string) { t.ShowTotal = d.flag(v, p) },
			"show_zero":                  func(v *yaml.Node, p string) { t.ShowZero = d.flag(v, p) },
			"enable_service":             func(v *yaml.Node, p string) { t.EnableService = d.flag(v, p) },
			"pay_mch":                    func(v *yaml.Node, p string) { t.PayMch = d.oneOf(v, p, "", "qf", "sqb") },
			"language_type":              func(v *yaml.Node, p string) { t.LanguageType = int(d.integer(v, p, 1, 2)) },
			"takeaway_use_takeout_price": func(v *yaml.Node, p string) { t.TakeawayUseTakeoutPrice = d.boolean(v, p) },
			"country_code": func(v *yaml.Node, p string) {
				if t.CountryCode = d.str(v, p, 5); !countryCode.MatchString(t.CountryCode) {
					d.add(v, p, "应是“+”加国家或地区代码，例如 +86，而不是 %q", t.CountryCode)
				}
			},
		},
	})
}

func (d *decoder) deliveryFee(n *yaml.Node, path string, f *DeliveryFee) {
	d.object(n, path, fieldSet{handlers: map[string]field{
		"delivery_scope": func(v *yaml.Node, p string) { f.Scope = d.str(v, p, 40) },
		"min_amount":     func(v *yaml.Node, p string) { f.MinAmount = d.amount(v, p) },
		"tiers": func(v *yaml.Node, p string) {
			d.list(v, p, func(i int, e *yaml.Node, p string) {
				var t DeliveryTier
				d.object(e, p, fieldSet{required: []string{"within_km", "fee"}, handlers: map[string]field{
					"within_km": func(v *yaml.Node, p string) { t.WithinMeters = d.distance(v, p) },
					"fee":       func(v *yaml.Node, p string) { t.Fee = d.amount(v, p) },
				}})
				if i > 0 && t.WithinMeters <= f.Tiers[i-1].WithinMeters {
					d.add(e, p+".within_km", "距离应从小到大排列，每一档比上一档远")
				}
				f.Tiers = append(f.Tiers, t)
			})
		},
	}})
}

func (d *decoder) periods(n *yaml.Node, path string, ps *Periods) {
	handlers := map[string]field{
		"open": func(v *yaml.Node, p string) {
			v = deref(v)
			if v.Kind == yaml.SequenceNode && len(v.Content) != 7 {
				d.add(v, p, "应有 7 项，依次是周日、周一……周六是否营业，现在有 %d 项", len(v.Content))
				return
			}
			d.list(v, p, func(i int, e *yaml.Node, p string) { ps.Open[i] = d.boolean(e, p) })
		},
	}
	for day := 0; day < 7; day++ {
		handlers[fmt.Sprint(day)] = func(v *yaml.Node, p string) {
			d.list(v, p, func(i int, e *yaml.Node, p string) {
				if i >= 4 {
					d.add(e, p, "每天最多 4 个营业时段")
					return
				}
				ps.Days[day] = append(ps.Days[day], d.period(e, p))
			})
		}
	}
	d.object(n, path, fieldSet{required: []string{"open"}, handlers: handlers})
}

func (d *decoder) period(n *yaml.Node, path string) Period {
	var pr Period
	d.object(n, path, fieldSet{required: []string{"start_time", "end_time"}, handlers: map[string]field{
		"start_time": func(v *yaml.Node, p string) { pr.Start = d.clock(v, p) },
		"end_time":   func(v *yaml.Node, p string) { pr.End = d.clock(v, p) },
	}})
	if pr.Start == pr.End && n.Kind == yaml.MappingNode {
		d.add(n, path, "开始和结束时间都是 %s，这个时段是空的（全天营业请写 00:00 到 23:59）", pr.Start)
	}
	return pr
}

func (d *decoder) table(n *yaml.Node, path string) Table {
	t := Table{QRCodeVersion: 1, ID: 0}
	hasName := false
	d.object(n, path, fieldSet{required: []string{"table_id"}, handlers: map[string]field{
		"table_id": func(v *yaml.Node, p string) {
			t.ID = d.integer(v, p, -99, maxID)
			if t.ID == 0 || (t.ID < 0 && t.ID != TableSelfSelect && t.ID != TableTakeout && t.ID != TableWaitPickup) {
				d.add(v, p, "桌台 id 应是正整数；虚拟桌台只能是 -99（堂食自选）、-1（外卖）、-2（等取）")
			}
		},
		"table_name": func(v *yaml.Node, p string) {
			hasName = true
			t.Name = d.name(v, p, 20)
		},
		"seat_num":       func(v *yaml.Node, p string) { t.SeatNum = int(d.integer(v, p, 0, 999)) },
		"qrcode_version": func(v *yaml.Node, p string) { t.QRCodeVersion = int(d.integer(v, p, 1, 1<<31-1)) },
	}})
	if !hasName {
		if t.ID > 0 {
			d.add(n, path+".table_name", "缺少 table_name，请写上桌台名称（印在二维码贴纸上）")
		}
		t.Name = virtualTableName(t.ID)
	}
	return t
}

// virtualTableName is the default name of a virtual table's sticker.
func virtualTableName(id int64) string {
	switch id {
	case TableSelfSelect:
		return "自选桌台"
	case TableTakeout:
		return "外卖"
	case TableWaitPickup:
		return "等取"
	}
	return ""
}

func paidLabel(v int) string {
	switch v {
	case PaidOffline:
		return "线下支付"
	case PaidWeChat:
		return "微信支付"
	case PaidMemberCard:
		return "会员卡"
	}
	return ""
}

func (d *decoder) paidType(n *yaml.Node, path string) PaidType {
	var pt PaidType
	d.object(n, path, fieldSet{required: []string{"value"}, handlers: map[string]field{
		"value":     func(v *yaml.Node, p string) { pt.Value = int(d.integer(v, p, 1, 3)) },
		"label":     func(v *yaml.Node, p string) { pt.Label = d.name(v, p, 20) },
		"eat_types": func(v *yaml.Node, p string) { pt.EatTypes = d.eatTypes(v, p) },
	}})
	if pt.Label == "" {
		pt.Label = paidLabel(pt.Value)
	}
	return pt
}

func (d *decoder) orderDefault(n *yaml.Node, path string) *OrderDefault {
	od := &OrderDefault{}
	d.object(n, path, fieldSet{required: []string{"periods", "products"}, handlers: map[string]field{
		"periods": func(v *yaml.Node, p string) {
			d.list(v, p, func(_ int, e *yaml.Node, p string) { od.Periods = append(od.Periods, d.period(e, p)) })
		},
		"products": func(v *yaml.Node, p string) {
			d.list(v, p, func(_ int, e *yaml.Node, p string) {
				dp := DefaultProduct{Num: 1}
				refStart := len(d.refs)
				copied := "开台消费的商品只写 id、pu、num、is_by_seat；名称、规格和价格取自 products 里的这个商品"
				d.object(e, p, fieldSet{
					required: []string{"id"},
					elsewhere: map[string]string{"item_id": copied, "item_name": copied, "item_type": copied,
						"specs": copied, "thumbnail": copied, "description": copied},
					handlers: map[string]field{
						"id": func(v *yaml.Node, p string) {
							dp.ProductID = d.integer(v, p, 1, maxID)
							d.refs = append(d.refs, productRef{node: v, path: p, productID: dp.ProductID, pu: -1})
						},
						"pu": func(v *yaml.Node, p string) {
							dp.PU = int(d.integer(v, p, 0, 4))
							d.refs = append(d.refs, productRef{node: v, path: p, pu: dp.PU, productID: -1})
						},
						"num":        func(v *yaml.Node, p string) { dp.Num = int(d.integer(v, p, 1, 99)) },
						"is_by_seat": func(v *yaml.Node, p string) { dp.IsBySeat = d.boolean(v, p) },
					}})
				for i := refStart; i < len(d.refs); i++ {
					if d.refs[i].productID == -1 {
						d.refs[i].productID = dp.ProductID
					}
				}
				od.Products = append(od.Products, dp)
			})
		},
	}})
	return od
}

func (d *decoder) discount(n *yaml.Node, path string) Discount {
	var x Discount
	d.object(n, path, fieldSet{required: []string{"name"}, handlers: map[string]field{
		"name":       func(v *yaml.Node, p string) { x.Name = d.name(v, p, 30) },
		"percent":    func(v *yaml.Node, p string) { x.Percent = d.decimal(v, p, 100) },
		"amount":     func(v *yaml.Node, p string) { x.Amount = d.amount(v, p) },
		"min_amount": func(v *yaml.Node, p string) { x.MinAmount = d.amount(v, p) },
		"eat_types":  func(v *yaml.Node, p string) { x.EatTypes = d.eatTypes(v, p) },
	}})
	d.percentOrAmount(n, path, x.Percent.IsZero(), x.Amount == 0)
	return x
}

func (d *decoder) service(n *yaml.Node, path string) Service {
	var x Service
	d.object(n, path, fieldSet{required: []string{"name"}, handlers: map[string]field{
		"name":      func(v *yaml.Node, p string) { x.Name = d.name(v, p, 30) },
		"percent":   func(v *yaml.Node, p string) { x.Percent = d.decimal(v, p, 100) },
		"amount":    func(v *yaml.Node, p string) { x.Amount = d.amount(v, p) },
		"eat_types": func(v *yaml.Node, p string) { x.EatTypes = d.eatTypes(v, p) },
	}})
	d.percentOrAmount(n, path, x.Percent.IsZero(), x.Amount == 0)
	return x
}

func (d *decoder) percentOrAmount(n *yaml.Node, path string, noPercent, noAmount bool) {
	if n.Kind != yaml.MappingNode {
		return
	}
	switch {
	case noPercent && noAmount:
		d.add(n, path, "请写 percent（百分比，例如 5 表示 5%%）或 amount（固定金额）其中一个，且大于 0")
	case !noPercent && !noAmount:
		d.add(n, path, "percent 和 amount 只能写一个")
	}
}
