package pricing

import (
	"encoding/json"
	"testing"
)

// Bad input is a 400 in the seed's shape, naming the field with its list
// indexes; nothing half-decoded comes out.
func TestDecode(t *testing.T) {
	for _, c := range []struct {
		name, body, want string
	}{
		{"malformed", `{"products": [`, `{"non_field_errors":["JSON 格式错误"]}`},
		{"trailing garbage", `{"products": []} x`, `{"non_field_errors":["JSON 格式错误"]}`},
		{"not an object", `[1]`, `{"non_field_errors":["请求内容应是 JSON 对象"]}`},
		{"bad amount deep inside", `{"products": [{"product": 1, "qty": 1}, {"product": 2, "qty": 1, "children": [{"product": 3, "price": "1.2.3"}]}]}`,
			`{"products":[{},{"children":[{"price":["金额格式错误：\"1.2.3\" 不是金额，请写成 12 或 12.50 这样的数字"]}]}]}`},
		{"three decimals", `{"total_fee": 4.205}`, `{"total_fee":["金额格式错误：\"4.205\" 最多两位小数"]}`},
		{"negative", `{"discount_fee": -1}`, `{"discount_fee":["金额格式错误：\"-1\" 不能是负数"]}`},
		{"a list expected", `{"products": {"product": 1}}`, `{"products":["应是一个列表"]}`},
		{"an integer expected", `{"table_id": "A1"}`, `{"table_id":["应是整数，而不是 \"A1\""]}`},
		{"a flag expected", `{"ignore_extra_price": "yes"}`, `{"ignore_extra_price":["应是 true 或 false"]}`},
		{"text expected", `{"products": [{"product": 1, "req": 5}]}`, `{"products":[{"req":["应是文字"]}]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var req OrderRequest
			err := Decode([]byte(c.body), &req)
			body, _ := json.Marshal(validation(t, err).Body())
			if string(body) != c.want {
				t.Fatalf("%s\nwant %s", body, c.want)
			}
		})
	}
	// The seed's forms: numbers and strings for amounts and integers, null
	// for absent; embedded in the HTTP layer's own body type.
	var body struct {
		OrderRequest
		Remark string `json:"remark"`
	}
	err := Decode([]byte(`{"table_id": "5", "eat_type": 1, "user_address": null, "total_fee": "34", "total_price": 28, "remark": "少冰",
		"products": [{"product": 1, "price": 3, "qty": 1, "condiments": null}]}`), &body)
	if err != nil || body.TableID != 5 || Fen(*body.TotalFee) != 3400 || body.Remark != "少冰" || len(body.Products) != 1 {
		t.Fatalf("%v %+v", err, body)
	}
}
