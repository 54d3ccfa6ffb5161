package wechatpay

import "github.com/posbridge/posbridge/wechatpay/wxconfig"

// The documented vocabularies of the sync (参数规定, catering.php chapter 25_1).

// DishTypes are the documented dish categories (kept with the
// configuration that maps menu categories onto them).
var DishTypes = wxconfig.DishTypes

// IsDishType reports whether t is a documented dish category.
func IsDishType(t string) bool { return wxconfig.IsDishType(t) }

// propertyVocab is one property of a dish and the values it may take, in
// the documented order (the order values are sent in).
type propertyVocab struct {
	key    string
	values []string
}

// propertyVocabs are the documented dish properties. The first four are
// required inside a properties object; others is optional.
var propertyVocabs = []propertyVocab{
	{"taste", []string{"辣", "咸", "甜", "酸", "香", "苦", "麻", "鲜"}},
	{"cuisine", []string{"炒", "蒸", "烧", "焖", "炖", "凉拌", "烤", "炸", "煮", "煎", "火锅", "烘焙", "砂锅", "卤"}},
	{"main_material", []string{"猪", "牛", "羊", "鸡", "鸭", "蛋", "其他肉类", "鱼类", "虾类", "蟹类", "贝类", "其他水产",
		"茎叶类", "根茎类", "瓜果类", "菌类", "花朵类", "豆类", "豆制品", "无杂粮类", "面类", "小吃/甜饼", "方便食品",
		"鲜果类", "干果类", "药食两用", "调味品", "油脂", "糖/蜜饯", "乳类", "酒", "茶饮"}},
	{"ingredients", []string{"葱", "姜", "蒜", "香菜", "八角", "香叶", "花椒"}},
	{"others", []string{"农家", "有机", "进口", "非转基因", "纯天然"}},
}

// propertySeparator joins several values of one property, as the seed's
// example does ("青椒 | 辣椒 | 葱 | 八角").
const propertySeparator = " | "

// vocabIndex finds the property and position of a documented value.
func vocabIndex(word string) (prop, pos int, ok bool) {
	for p, v := range propertyVocabs {
		for i, w := range v.values {
			if w == word {
				return p, i, true
			}
		}
	}
	return 0, 0, false
}
