package fake

import "github.com/posbridge/posbridge/order"

// The sandbox menus: a tea shop (cup labels, specs, add-ons) and a
// restaurant (kitchen tickets, set meals with children, spice notes).

type option struct {
	name  string
	delta order.Fen
}

type dish struct {
	id, name    string
	price       order.Fen
	unit        string
	specs       []option   // one is chosen, e.g. 中杯/大杯
	props       [][]string // one of each group, e.g. 冰量 and 糖度
	materials   []option   // add-ons (加料)
	drink       bool
	productType int     // 1 normal, 6 set meal
	combo       []combo // set meal parts
}

type combo struct {
	id, name string
	price    order.Fen
	fixed    bool
}

var (
	cupSizes = []option{{"中杯", 0}, {"大杯", 300}}
	ice      = []string{"正常冰", "少冰", "去冰", "热"}
	sugar    = []string{"全糖", "半糖", "三分糖", "无糖"}
	teaAdds  = []option{{"珍珠", 100}, {"椰果", 100}, {"芋圆", 200}, {"芝士奶盖", 300}}
	spice    = []string{"不辣", "微辣", "中辣", "特辣"}
)

var teaMenu = []dish{
	{id: "T1001", name: "珍珠奶茶", price: 1500, unit: "杯", specs: cupSizes, props: [][]string{ice, sugar}, materials: teaAdds, drink: true},
	{id: "T1002", name: "杨枝甘露", price: 1900, unit: "杯", specs: cupSizes, props: [][]string{ice, sugar}, drink: true},
	{id: "T1003", name: "多肉葡萄", price: 2200, unit: "杯", specs: cupSizes, props: [][]string{ice, sugar}, materials: teaAdds[:2], drink: true},
	{id: "T1004", name: "芝士莓莓", price: 2500, unit: "杯", specs: cupSizes, props: [][]string{ice, sugar}, drink: true},
	{id: "T1005", name: "柠檬茶", price: 1200, unit: "杯", specs: cupSizes, props: [][]string{ice, sugar}, drink: true},
	{id: "T1006", name: "烤黑糖波波牛乳", price: 1800, unit: "杯", specs: cupSizes, props: [][]string{{"热", "少冰", "正常冰"}}, materials: teaAdds[:1], drink: true},
	{id: "T1007", name: "豆乳玉麒麟", price: 1900, unit: "杯", specs: []option{{"大杯", 0}}, props: [][]string{sugar}, drink: true},
	{id: "T1101", name: "葡式蛋挞", price: 800, unit: "个"},
}

var restaurantMenu = []dish{
	{id: "R2001", name: "红烧牛肉面", price: 2800, unit: "碗", specs: []option{{"小碗", 0}, {"大碗", 300}}, props: [][]string{spice},
		materials: []option{{"加牛肉", 800}, {"加卤蛋", 200}, {"加面", 300}}},
	{id: "R2002", name: "宫保鸡丁饭", price: 2600, unit: "份", props: [][]string{spice}, materials: []option{{"加饭", 200}}},
	{id: "R2003", name: "酸菜鱼", price: 5800, unit: "份", props: [][]string{spice}},
	{id: "R2004", name: "扬州炒饭", price: 2200, unit: "份"},
	{id: "R2005", name: "小笼包", price: 1800, unit: "笼", specs: []option{{"8只", 0}}},
	{id: "R2006", name: "酸梅汤", price: 800, unit: "杯", props: [][]string{{"常温", "冰"}}, drink: true},
	{id: "R3001", name: "牛肉面套餐", price: 3800, unit: "份", productType: 6, combo: []combo{
		{"R2001", "红烧牛肉面", 2600, true}, {"R4001", "卤蛋", 200, false}, {"R2006", "酸梅汤", 1000, false}}},
	{id: "R3002", name: "鸡丁饭套餐", price: 3600, unit: "份", productType: 6, combo: []combo{
		{"R2002", "宫保鸡丁饭", 2400, true}, {"R4002", "凉拌黄瓜", 600, false}, {"R4003", "可乐", 600, false}}},
}

// notes include an emoji and a character outside the BMP on purpose:
// printers must cope with both.
var notes = []string{"", "", "", "", "少辣", "不要香菜", "多放辣 🌶", "打包带走，谢谢", "少冰少糖",
	"门口放外卖柜", "请写祝福卡：𠮷祥如意", "不要葱", "餐具2份", "生日快乐🎂"}

var customerNames = []string{"张先生", "李女士", "王同学", "赵女士", "陈先生", "刘小姐", "周先生", "吴女士"}

var addresses = []string{
	"上海市徐汇区漕溪北路88号圣爱大厦12楼1203室",
	"上海市浦东新区张杨路500号时代广场B座805",
	"上海市嘉定区南翔镇民主街36弄5号402",
	"上海市静安区南京西路1266号恒隆广场写字楼2座21楼",
	"上海市闵行区七莘路3009号1幢301",
}
