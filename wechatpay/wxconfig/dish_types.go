package wxconfig

// The documented vocabularies of the sync (参数规定, catering.php chapter 25_1).

// DishTypes are the documented dish categories, spelled as documented:
// GUAGNDONG_CUISINE (粤菜) has two letters swapped in the official list and
// is sent that way.
var DishTypes = []string{
	"FAST_FOOD", "DRINK", "YOYO", "BEIJING_CUISINE", "SICHUAN_CUISINE", "DONGBEI_CUISINE",
	"SOUTHEAST_ASIAN_CUISINE", "SEAFOOD", "KOREAN_CUISINE", "HUBEI_CUISINE", "HOT_POT",
	"JIANGZHE_CUISINE", "SHANDONG_CUISINE", "HALAL_FOOD", "JAPANESE_CUISINE", "BARBECUE",
	"NORTHWEST_CUISINE", "WESTERN_FOOD", "HUNAN_CUISINE", "SNACK", "XINJIANG_CUISINE",
	"GUAGNDONG_CUISINE", "YUNNAN_CUISINE", "BUFFET",
}

// IsDishType reports whether t is a documented dish category.
func IsDishType(t string) bool {
	for _, d := range DishTypes {
		if d == t {
			return true
		}
	}
	return false
}
