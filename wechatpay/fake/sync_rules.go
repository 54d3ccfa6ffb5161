package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The documented field rules of the sync (seed 003 and the official
// per-mode pages, digest §2–§3). Where the documents leave a rule open the
// fake is strict and says so: posbridge must never depend on leniency.

// fieldRule is one top-level string field: its documented length and
// whether it must be present.
type fieldRule struct {
	name     string
	maxBytes int // 0 = no documented length
}

var (
	commonRequired = []fieldRule{
		{"sub_mchid", 32}, {"out_shop_no", 32}, {"login_token", 256}, {"order_entry", 256},
		{"status", 32}, {"action_time", 64}, {"out_order_no", 64},
	}
	commonOptional = []fieldRule{
		{"sub_appid", 32}, {"pay_time", 64}, {"transaction_id", 64}, {"out_trade_no", 64}, {"out_table_no", 0},
	}
	amountFields = []string{"total_amount", "discount_amount", "user_amount"}
	dishTypes    = []string{
		"FAST_FOOD", "DRINK", "YOYO", "BEIJING_CUISINE", "SICHUAN_CUISINE", "DONGBEI_CUISINE",
		"SOUTHEAST_ASIAN_CUISINE", "SEAFOOD", "KOREAN_CUISINE", "HUBEI_CUISINE", "HOT_POT",
		"JIANGZHE_CUISINE", "SHANDONG_CUISINE", "HALAL_FOOD", "JAPANESE_CUISINE", "BARBECUE",
		"NORTHWEST_CUISINE", "WESTERN_FOOD", "HUNAN_CUISINE", "SNACK", "XINJIANG_CUISINE",
		"GUAGNDONG_CUISINE", "YUNNAN_CUISINE", "BUFFET",
	}
	vocabularies = map[string][]string{
		"taste":   {"辣", "咸", "甜", "酸", "香", "苦", "麻", "鲜"},
		"cuisine": {"炒", "蒸", "烧", "焖", "炖", "凉拌", "烤", "炸", "煮", "煎", "火锅", "烘焙", "砂锅", "卤"},
		"main_material": {"猪", "牛", "羊", "鸡", "鸭", "蛋", "其他肉类", "鱼类", "虾类", "蟹类", "贝类", "其他水产",
			"茎叶类", "根茎类", "瓜果类", "菌类", "花朵类", "豆类", "豆制品", "无杂粮类", "面类", "小吃/甜饼", "方便食品",
			"鲜果类", "干果类", "药食两用", "调味品", "油脂", "糖/蜜饯", "乳类", "酒", "茶饮"},
		"ingredients": {"葱", "姜", "蒜", "香菜", "八角", "香叶", "花椒"},
		"others":      {"农家", "有机", "进口", "非转基因", "纯天然"},
	}
	requiredProperties = []string{"taste", "cuisine", "main_material", "ingredients"}
	countPattern       = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$`)
	integerPattern     = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
)

// bodyError is a PARAM_ERROR naming the field, as APIv3 error details do.
func bodyError(field string, value any, issue string) *apiError {
	d := map[string]any{"field": field, "issue": issue, "location": "body"}
	if value != nil {
		d["value"] = value
	}
	return &apiError{status: 400, code: "PARAM_ERROR", message: "参数错误：" + issue, detail: d}
}

// checkSync applies every rule to a sync body.
func (s *Server) checkSync(_ *http.Request, body []byte) *apiError {
	if !utf8.Valid(body) {
		return &apiError{status: 400, code: "INVALID_REQUEST", message: "请求体不是合法的UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || dec.More() {
		return &apiError{status: 400, code: "INVALID_REQUEST", message: "请求体不是合法的JSON对象"}
	}
	if e := checkValues("", m); e != nil {
		return e
	}
	allowed := map[string]bool{"openid": true, "sub_openid": true, "people_count": true, "dish_list": true}
	for _, f := range slices.Concat(commonRequired, commonOptional) {
		allowed[f.name] = true
	}
	for _, f := range amountFields {
		allowed[f] = true
	}
	required := slices.Clone(commonRequired)
	switch s.opts.Mode {
	case ModeServiceProvider:
		required = append(required, fieldRule{"sp_mchid", 32}, fieldRule{"sp_appid", 32})
		allowed["sp_mchid"], allowed["sp_appid"] = true, true
	case ModeChannel:
		// The channel page lists no openid; sp_* are optional in the combined doc.
		required = append(required, fieldRule{"channel_id", 32}, fieldRule{"sub_appid", 32}, fieldRule{"sub_openid", 32})
		allowed["channel_id"], allowed["sp_mchid"], allowed["sp_appid"] = true, true, true
		delete(allowed, "openid")
	}
	for k := range m {
		if !allowed[k] {
			return bodyError("/"+k, nil, "未知或本模式不支持的字段 "+k)
		}
	}
	for _, f := range required {
		if _, ok := m[f.name]; !ok {
			return bodyError("/"+f.name, nil, "缺少必填字段 "+f.name)
		}
	}
	for _, f := range slices.Concat(required, commonOptional, []fieldRule{{"openid", 32}, {"sub_openid", 32}, {"sp_mchid", 32}, {"sp_appid", 32}, {"channel_id", 32}}) {
		if e := checkString(m, f); e != nil {
			return e
		}
	}
	if e := s.checkIdentity(m); e != nil {
		return e
	}
	if e := checkStatusFields(m); e != nil {
		return e
	}
	if e := checkAmounts(m); e != nil {
		return e
	}
	if v, ok := m["people_count"]; ok {
		if n, ok := integer(v); !ok || n < 0 {
			return bodyError("/people_count", v, "people_count 须为非负整数")
		}
	}
	return s.checkDishes(m["dish_list"])
}

// checkValues refuses null anywhere and characters of four UTF-8 bytes.
func checkValues(path string, v any) *apiError {
	switch t := v.(type) {
	case nil:
		return bodyError(path, nil, "字段值不能为 null")
	case string:
		for _, r := range t {
			if r > 0xFFFF {
				return bodyError(path, t, "字符串含有4字节的UTF-8字符（如emoji）")
			}
		}
	case map[string]any:
		for k, x := range t {
			if e := checkValues(path+"/"+k, x); e != nil {
				return e
			}
		}
	case []any:
		for i, x := range t {
			if e := checkValues(fmt.Sprintf("%s/%d", path, i), x); e != nil {
				return e
			}
		}
	}
	return nil
}

func checkString(m map[string]any, f fieldRule) *apiError {
	v, ok := m[f.name]
	if !ok {
		return nil
	}
	str, ok := v.(string)
	switch {
	case !ok:
		return bodyError("/"+f.name, v, f.name+" 须为字符串")
	case str == "":
		return bodyError("/"+f.name, v, f.name+" 不能为空")
	case f.maxBytes > 0 && len(str) > f.maxBytes:
		return bodyError("/"+f.name, v, fmt.Sprintf("%s 超过长度 %d", f.name, f.maxBytes))
	}
	return nil
}

// checkIdentity: the merchant of the body is the one that signed, the
// sub-merchant is bound to it, and the customer is given once, under an
// APPID the body names.
func (s *Server) checkIdentity(m map[string]any) *apiError {
	str := func(k string) string { v, _ := m[k].(string); return v }
	mchField := "sp_mchid"
	if s.opts.Mode == ModeChannel {
		mchField = "channel_id"
	}
	if str(mchField) != s.opts.MchID {
		return bodyError("/"+mchField, str(mchField), mchField+" 与请求头中的商户号不一致")
	}
	if s.opts.SpAppID != "" && s.opts.Mode == ModeServiceProvider && str("sp_appid") != s.opts.SpAppID {
		return bodyError("/sp_appid", str("sp_appid"), "sp_appid 与服务商不匹配")
	}
	if len(s.opts.SubMerchants) > 0 {
		i := slices.IndexFunc(s.opts.SubMerchants, func(sm SubMerchant) bool { return sm.SubMchID == str("sub_mchid") })
		if i < 0 {
			return &apiError{status: 403, code: "NO_AUTH", message: "子商户 " + str("sub_mchid") + " 未与服务商建立关系"}
		}
		if app := str("sub_appid"); app != "" && app != s.opts.SubMerchants[i].SubAppID {
			return bodyError("/sub_appid", app, "sub_appid 与 sub_mchid 不匹配")
		}
	}
	openid, subOpenid := str("openid"), str("sub_openid")
	switch {
	case openid != "" && subOpenid != "":
		return bodyError("/openid", openid, "openid 与 sub_openid 只能填一个")
	case openid == "" && subOpenid == "":
		return bodyError("/sub_openid", nil, "openid 与 sub_openid 须填一个")
	case subOpenid != "" && str("sub_appid") == "":
		return bodyError("/sub_appid", nil, "使用 sub_openid 时 sub_appid 必填")
	}
	if s.opts.Users != nil {
		id, app := openid, str("sp_appid")
		if subOpenid != "" {
			id, app = subOpenid, str("sub_appid")
		}
		if owner, known := s.opts.Users[id]; known && owner != app {
			return bodyError("/openid", id, "openid 不属于 "+app)
		}
	}
	return nil
}

func checkStatusFields(m map[string]any) *apiError {
	status, _ := m["status"].(string)
	if status != "CREATE_DEAL" && status != "PAY_SUCCESS" {
		return bodyError("/status", status, "status 须为 CREATE_DEAL 或 PAY_SUCCESS")
	}
	if status == "PAY_SUCCESS" {
		for _, k := range []string{"pay_time", "transaction_id", "out_trade_no"} {
			if _, ok := m[k]; !ok {
				return bodyError("/"+k, nil, "status 为 PAY_SUCCESS 时 "+k+" 必填")
			}
		}
	}
	for _, k := range []string{"action_time", "pay_time"} {
		if v, ok := m[k].(string); ok {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return bodyError("/"+k, v, k+" 须为 rfc3339 格式，如 2018-06-08T10:34:56+08:00")
			}
		}
	}
	return nil
}

func checkAmounts(m map[string]any) *apiError {
	var n [3]int64
	for i, k := range amountFields {
		v, present := m[k]
		if !present {
			return bodyError("/"+k, nil, "缺少必填字段 "+k)
		}
		x, ok := integer(v)
		if !ok || x < 0 {
			return bodyError("/"+k, v, k+" 须为以分为单位的非负整数")
		}
		n[i] = x
	}
	// Our reading (the documents state no sum rule): the example's
	// 1000 = 100 + 900 holds for every sync.
	if n[0] != n[1]+n[2] {
		return bodyError("/total_amount", n[0], "total_amount 须等于 discount_amount + user_amount")
	}
	return nil
}

func (s *Server) checkDishes(v any) *apiError {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return bodyError("/dish_list", nil, "dish_list 须为非空数组")
	}
	allowed := map[string]bool{"out_dish_no": true, "name": true, "price": true, "unit": true, "count": true,
		"discount": true, "type": true, "priority": true, "properties": true}
	for i, x := range list {
		p := fmt.Sprintf("/dish_list/%d", i)
		d, ok := x.(map[string]any)
		if !ok {
			return bodyError(p, nil, "菜品须为对象")
		}
		for k := range d {
			if !allowed[k] {
				return bodyError(p+"/"+k, nil, "未知字段 "+k)
			}
		}
		for _, k := range []string{"out_dish_no", "name", "unit"} {
			if str, ok := d[k].(string); !ok || str == "" {
				return bodyError(p+"/"+k, d[k], k+" 必填且须为字符串")
			}
		}
		if u := d["unit"]; u != "BY_SHARE" && u != "BY_WEIGHT" {
			return bodyError(p+"/unit", u, "unit 须为 BY_SHARE 或 BY_WEIGHT")
		}
		if n, ok := integer(d["price"]); !ok || n < 0 {
			return bodyError(p+"/price", d["price"], "price 须为以分为单位的非负整数")
		}
		c, ok := d["count"].(json.Number)
		if !ok || !countPattern.MatchString(c.String()) || strings.Trim(c.String(), "0.") == "" {
			return bodyError(p+"/count", d["count"], "count 须为大于0的数字，最多保留2位小数")
		}
		if v, ok := d["discount"]; ok {
			if n, ok := integer(v); !ok || n < 0 || n > 100 {
				return bodyError(p+"/discount", v, "discount 须为0到100的整数（百分值）")
			}
		}
		if v, ok := d["priority"]; ok {
			if n, ok := integer(v); !ok || n < 1 || n > 100 {
				return bodyError(p+"/priority", v, "priority 取值1~100")
			}
		}
		if v, ok := d["type"]; ok {
			if t, _ := v.(string); !slices.Contains(dishTypes, t) {
				return bodyError(p+"/type", v, "type 不在菜品类型列表中")
			}
		}
		if v, ok := d["properties"]; ok {
			if e := s.checkProperties(p+"/properties", v); e != nil {
				return e
			}
		}
	}
	return nil
}

func (s *Server) checkProperties(p string, v any) *apiError {
	props, ok := v.(map[string]any)
	if !ok {
		return bodyError(p, nil, "properties 须为对象")
	}
	for k := range props {
		if _, known := vocabularies[k]; !known {
			return bodyError(p+"/"+k, nil, "未知的菜品属性 "+k)
		}
	}
	for _, k := range requiredProperties {
		if _, ok := props[k]; !ok {
			return bodyError(p+"/"+k, nil, "properties 中 "+k+" 必填")
		}
	}
	for k, x := range props {
		str, ok := x.(string)
		if !ok || str == "" {
			return bodyError(p+"/"+k, x, k+" 须为非空字符串")
		}
		if s.opts.LenientProperties {
			continue
		}
		for _, word := range strings.Split(str, " | ") {
			if !slices.Contains(vocabularies[k], word) {
				return bodyError(p+"/"+k, str, fmt.Sprintf("%s 的取值 %q 不在参数规定的列表中", k, word))
			}
		}
	}
	return nil
}

// integer reads a JSON integer (no fraction, no exponent).
func integer(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok || !integerPattern.MatchString(n.String()) {
		return 0, false
	}
	x, err := n.Int64()
	return x, err == nil
}
