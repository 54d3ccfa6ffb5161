package wechatpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden sync bodies in testdata/golden")

// bodyConfig is the section the golden bodies are built with; the builder
// reads no file.
func bodyConfig(mode string) *Config {
	c := &Config{
		Enabled: true, Mode: mode, MerchantSerialNo: testSerial,
		Restaurants: []Restaurant{{
			ID: 1, SubMchID: testSubMchID, SubAppID: testSubAppID, OutShopNo: "6895",
			DishTypes: map[string]string{"10": "HOT_POT", "20": "DRINK", "30": "GUAGNDONG_CUISINE"},
		}},
	}
	if mode == ModeChannel {
		c.ChannelID = testChannelID
	} else {
		c.SpMchID, c.SpAppID = testSpMchID, testSpAppID
	}
	return c
}

type bodyCase struct {
	Mode  string    `json:"mode"`
	Note  string    `json:"note"`
	Order SyncOrder `json:"order"`
}

func loadCases(t *testing.T) map[string]bodyCase {
	t.Helper()
	files, err := filepath.Glob("testdata/orders/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no order fixtures: %v", err)
	}
	out := map[string]bodyCase{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c bodyCase
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = c
	}
	return out
}

func TestGoldenSyncBodies(t *testing.T) {
	for name, c := range loadCases(t) {
		t.Run(name, func(t *testing.T) {
			got, err := BuildSyncBody(bodyConfig(c.Mode), &c.Order)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata/golden", name+".json")
			if *update {
				var pretty bytes.Buffer
				_ = json.Indent(&pretty, got, "", "  ")
				// The golden file keeps the exact bytes on its first line and
				// an indented copy below for review.
				if err := os.WriteFile(golden, append(append(got, '\n'), pretty.Bytes()...), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			want, _, _ := bytes.Cut(data, []byte("\n"))
			if !bytes.Equal(got, want) {
				t.Fatalf("body differs from %s\n got %s\nwant %s", golden, got, want)
			}
		})
	}
}

func TestFieldRulesOfTheBuilder(t *testing.T) {
	cases := loadCases(t)
	body := func(name string) map[string]any {
		c := cases[name]
		b, err := BuildSyncBody(bodyConfig(c.Mode), &c.Order)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	dish := func(m map[string]any, i int) map[string]any { return m["dish_list"].([]any)[i].(map[string]any) }

	sp := body("sp_create_deal")
	if sp["sub_openid"] != "oYobu0Dmn6TdodZnFWKOEkqoRbI8" || sp["openid"] != nil || sp["channel_id"] != nil {
		t.Errorf("sub_appid login: sub_openid %v openid %v", sp["sub_openid"], sp["openid"])
	}
	if sp["action_time"] != "2026-03-01T12:30:05+08:00" || sp["pay_time"] != nil || sp["transaction_id"] != nil {
		t.Errorf("CREATE_DEAL times: %v %v", sp["action_time"], sp["pay_time"])
	}
	props, _ := dish(sp, 0)["properties"].(map[string]any)
	if props["taste"] != "辣" || props["cuisine"] != "火锅" || props["main_material"] != "牛" || props["ingredients"] != "葱 | 花椒" {
		t.Errorf("properties %v", props)
	}
	for i := range 2 {
		if d := string(mustJSON(dish(sp, i))); strings.Contains(d, "大杯") || strings.Contains(d, "三分糖") || strings.Contains(d, "大份") {
			t.Errorf("specs outside the vocabularies were sent: %s", d)
		}
	}
	if dish(sp, 1)["properties"] != nil {
		t.Errorf("properties without taste, cuisine, main material and ingredients: %v", dish(sp, 1)["properties"])
	}
	if dish(sp, 0)["type"] != "HOT_POT" || dish(sp, 1)["type"] != "DRINK" {
		t.Errorf("dish types %v %v", dish(sp, 0)["type"], dish(sp, 1)["type"])
	}

	pay := body("sp_pay_success")
	if pay["openid"] != "o3Lss8d0hLOuyTuSJMVwLTk68JEx" || pay["sub_openid"] != nil {
		t.Errorf("sp_appid login: openid %v sub_openid %v", pay["openid"], pay["sub_openid"])
	}
	if pay["pay_time"] != "2026-03-01T13:01:30+08:00" || pay["action_time"] != "2026-03-01T13:02:00+08:00" {
		t.Errorf("times %v %v", pay["pay_time"], pay["action_time"])
	}
	if table := pay["out_table_no"].(string); len(table) > 32 || !utf8.ValidString(table) || table != "大厅靠窗的第十二号桌" {
		t.Errorf("table %q (%d bytes)", table, len(table))
	}
	fish, noodles, rice := dish(pay, 0), dish(pay, 1), dish(pay, 2)
	if fish["unit"] != "BY_WEIGHT" || fish["count"] != json.Number("1.15") || fish["priority"] != json.Number("100") || fish["type"] != "GUAGNDONG_CUISINE" {
		t.Errorf("fish %v", fish)
	}
	if fish["properties"].(map[string]any)["others"] != "进口" {
		t.Errorf("fish properties %v", fish["properties"])
	}
	if noodles["name"] != "生日长寿面" || noodles["discount"] != json.Number("0") || noodles["type"] != nil || noodles["priority"] != nil {
		t.Errorf("noodles %v", noodles)
	}
	if rice["unit"] != "BY_SHARE" || rice["count"] != json.Number("3") || rice["discount"] != nil {
		t.Errorf("rice %v", rice)
	}

	hkd := body("hkd_menu")
	if hkd["user_amount"] != json.Number("127") || hkd["discount_amount"] != json.Number("29") || hkd["total_amount"] != json.Number("156") {
		t.Errorf("HKD amounts %v %v %v", hkd["total_amount"], hkd["discount_amount"], hkd["user_amount"])
	}
	if dish(hkd, 0)["price"] != json.Number("37") || dish(hkd, 1)["price"] != json.Number("106") {
		t.Errorf("HKD prices %v %v", dish(hkd, 0)["price"], dish(hkd, 1)["price"])
	}
	jpy := body("jpy_menu_converted")
	if jpy["user_amount"] != json.Number("7245") || jpy["discount_amount"] != json.Number("725") || jpy["total_amount"] != json.Number("7970") {
		t.Errorf("JPY amounts %v %v %v", jpy["total_amount"], jpy["discount_amount"], jpy["user_amount"])
	}

	ch := body("channel_create_deal")
	if ch["channel_id"] != testChannelID || ch["sp_mchid"] != nil || ch["sp_appid"] != nil || ch["sub_openid"] == nil {
		t.Errorf("channel identity %v %v %v", ch["channel_id"], ch["sp_mchid"], ch["sub_openid"])
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestBodyIsTheSameOnEveryCall(t *testing.T) {
	cfg := bodyConfig(ModeServiceProvider)
	o := sampleOrder()
	first, err := BuildSyncBody(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if again, _ := BuildSyncBody(cfg, o); !bytes.Equal(again, first) {
			t.Fatalf("second build differs:\n%s\n%s", first, again)
		}
	}
	// As the outbox keeps it: marshalled, stored, read back.
	stored, _ := json.Marshal(o)
	var back SyncOrder
	if err := json.Unmarshal(stored, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := BuildSyncBody(cfg, &back); !bytes.Equal(again, first) {
		t.Fatalf("the stored snapshot builds another body:\n%s\n%s", first, again)
	}
	// Specs in another order are the same properties.
	o.Dishes[0].Specs = []string{"大份", "辣"}
	o.Dishes[0].Tags = []string{"花椒", "葱", "牛", "火锅", "葱"}
	if again, _ := BuildSyncBody(cfg, o); !bytes.Equal(again, first) {
		t.Fatalf("reordered specs build another body:\n%s\n%s", first, again)
	}
	if bytes.Contains(first, []byte("null")) || bytes.HasSuffix(first, []byte("\n")) {
		t.Errorf("body has null or a trailing newline: %s", first)
	}
}

func TestNotSyncable(t *testing.T) {
	tests := []struct {
		name   string
		mode   string
		edit   func(c *Config, o *SyncOrder)
		reason NotSyncableReason
	}{
		{"disabled", "", func(c *Config, o *SyncOrder) { c.Enabled = false }, NotSyncableDisabled},
		{"no login", "", func(c *Config, o *SyncOrder) { o.Customer = WeChatLogin{} }, NotSyncableNoLogin},
		{"钱方's openid", "", func(c *Config, o *SyncOrder) { o.Customer.AppID = "wx5b2e1a3c4d5e6f70" }, NotSyncableForeignOpenID},
		{"account unknown", "", func(c *Config, o *SyncOrder) { o.Customer.AppID = "" }, NotSyncableForeignOpenID},
		{"sp_appid login in channel mode", ModeChannel, func(c *Config, o *SyncOrder) { o.Customer.AppID = testSpAppID }, NotSyncableForeignOpenID},
		{"no token", "", func(c *Config, o *SyncOrder) { o.Customer.LoginToken = "" }, NotSyncableNoLoginToken},
		{"token too long", "", func(c *Config, o *SyncOrder) { o.Customer.LoginToken = strings.Repeat("a", 257) }, NotSyncableInvalid},
		{"unknown restaurant", "", func(c *Config, o *SyncOrder) { o.RestaurantID = 7 }, NotSyncableUnknownRestaurant},
		{"paid otherwise", "", func(c *Config, o *SyncOrder) { o.Action = ActionPaySuccess }, NotSyncableNoWeChatPayment},
		{"action", "", func(c *Config, o *SyncOrder) { o.Action = "REFUND" }, NotSyncableInvalid},
		{"amounts", "", func(c *Config, o *SyncOrder) { o.UserAmount = 6000 }, NotSyncableInvalid},
		{"negative", "", func(c *Config, o *SyncOrder) { o.DiscountAmount, o.UserAmount = -100, 6900 }, NotSyncableInvalid},
		{"no dishes", "", func(c *Config, o *SyncOrder) { o.Dishes = nil }, NotSyncableInvalid},
		{"zero count", "", func(c *Config, o *SyncOrder) { o.Dishes[0].CountHundredths = 0 }, NotSyncableInvalid},
		{"unit", "", func(c *Config, o *SyncOrder) { o.Dishes[0].Unit = "BY_CUP" }, NotSyncableInvalid},
		{"discount", "", func(c *Config, o *SyncOrder) { o.Dishes[0].Discount = new(101) }, NotSyncableInvalid},
		{"order number too long", "", func(c *Config, o *SyncOrder) { o.OutOrderNo = strings.Repeat("1", 65) }, NotSyncableInvalid},
		{"order number with emoji", "", func(c *Config, o *SyncOrder) { o.OutOrderNo = "115🎉" }, NotSyncableInvalid},
		{"entry too long", "", func(c *Config, o *SyncOrder) { o.OrderEntry = "https://x/" + strings.Repeat("a", 250) }, NotSyncableInvalid},
		{"no time", "", func(c *Config, o *SyncOrder) { o.ActionTime = time.Time{} }, NotSyncableInvalid},
		{"no rate", "", func(c *Config, o *SyncOrder) { o.Currency = Currency{Code: "HKD", DecimalPlaces: 2} }, NotSyncableInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode := tt.mode
			if mode == "" {
				mode = ModeServiceProvider
			}
			cfg, o := bodyConfig(mode), sampleOrder()
			tt.edit(cfg, o)
			body, err := BuildSyncBody(cfg, o)
			var ns *NotSyncable
			if body != nil || !errors.As(err, &ns) || ns.Reason != tt.reason {
				t.Fatalf("body %s err %v, want %s", body, err, tt.reason)
			}
			if Classify(err) != ClassNever || ns.Message() == "" || InstallerMessage(err) != ns.Message() {
				t.Errorf("class %v message %q", Classify(err), ns.Message())
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"清汤锅底", 0, "清汤锅底"},
		{"🎂生日 长寿面🍜", 0, "生日 长寿面"},
		{"❤️ 爱心套餐 👨‍👩‍👧", 0, "❤ 爱心套餐"},
		{"1️⃣号桌", 0, "1号桌"},
		{"line\nbreak\t\ttab", 0, "line break tab"},
		{"bad\xffbyte", 0, "badbyte"},
		{"大厅靠窗的第十二号桌子", 32, "大厅靠窗的第十二号桌"},
		{"abcdefghij", 4, "abcd"},
		{"  trimmed  ", 0, "trimmed"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, tt.max); got != tt.want {
			t.Errorf("cleanText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
	s := "a中b文c😀字"
	for n := 0; n <= len(s)+1; n++ {
		if got := cutBytes(s, n); !utf8.ValidString(got) || (n > 0 && len(got) > n) {
			t.Fatalf("cutBytes(%q, %d) = %q", s, n, got)
		}
	}
}

func TestHundredths(t *testing.T) {
	for in, want := range map[int64]string{150: "1.5", 200: "2", 5: "0.05", 35: "0.35", 1: "0.01", 10: "0.1", 12345: "123.45", 0: "0"} {
		if got, _ := hundredths(in).MarshalJSON(); string(got) != want {
			t.Errorf("%d hundredths = %s, want %s", in, got, want)
		}
	}
}

func TestCNYConversion(t *testing.T) {
	tests := []struct {
		cur   Currency
		minor int64
		fen   int64
	}{
		{Currency{}, 1043, 1043},
		{Currency{Code: "cny"}, 5, 5},
		{Currency{Code: "HKD", DecimalPlaces: 2, CNYRate: "0.1218"}, 1043, 127},
		{Currency{Code: "HKD", DecimalPlaces: 2, CNYRate: "0.5"}, 1, 1},  // 0.5 fen rounds up
		{Currency{Code: "HKD", DecimalPlaces: 2, CNYRate: "0.49"}, 1, 0}, // 0.49 fen rounds down
		{Currency{Code: "JPY", DecimalPlaces: 0, CNYRate: "0.0483"}, 150, 725},
		{Currency{Code: "KWD", DecimalPlaces: 3, CNYRate: "23.5"}, 1000, 2350},
	}
	for _, tt := range tests {
		cv, err := newCNYConverter(tt.cur)
		if err != nil {
			t.Fatalf("%+v: %v", tt.cur, err)
		}
		if got := cv.fen(tt.minor); got != tt.fen {
			t.Errorf("%+v: %d → %d fen, want %d", tt.cur, tt.minor, got, tt.fen)
		}
	}
	for _, bad := range []string{"", "1e-1", "-0.1", "0", ".5", "abc"} {
		if _, err := newCNYConverter(Currency{Code: "HKD", DecimalPlaces: 2, CNYRate: bad}); err == nil {
			t.Errorf("rate %q accepted", bad)
		}
	}
}

// sampleOrder is a complete CREATE_DEAL of restaurant 1, logged in under
// the restaurant's own account.
func sampleOrder() *SyncOrder {
	return &SyncOrder{
		Action: ActionCreateDeal, RestaurantID: 1, OutOrderNo: "11568882596073", TableName: "A3",
		PeopleCount: 2, TotalAmount: 6800, DiscountAmount: 500, UserAmount: 6300,
		ActionTime: time.Date(2026, 3, 1, 12, 30, 5, 0, time.FixedZone("CST", 8*3600)),
		Customer: WeChatLogin{OpenID: "oYobu0Dmn6TdodZnFWKOEkqoRbI8", AppID: testSubAppID,
			LoginToken: "071oYFSN19sCH31AyNSN15QDSN1oYFSA", TokenIssuedAt: time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)},
		OrderEntry: "https://order.example.cn/r/1/t/3?lang=zh&from=qr",
		Dishes: []SyncDish{
			{OutDishNo: "1021", Name: "麻辣牛肉锅", Price: 4800, CountHundredths: 100, CategoryID: "10", Priority: 3,
				Specs: []string{"辣", "大份"}, Tags: []string{"火锅", "牛", "葱", "花椒"}},
			{OutDishNo: "2001", Name: "柠檬茶", Price: 1000, CountHundredths: 200, CategoryID: "20", Priority: 12,
				Specs: []string{"大杯", "三分糖"}},
		},
	}
}
