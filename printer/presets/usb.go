package presets

import "strings"

// USBID is a vendor:product pair seen on one brand's printers.
type USBID struct {
	VendorID  string `json:"vendor_id"`  // four lowercase hex digits
	ProductID string `json:"product_id"` // four lowercase hex digits
	Brand     string `json:"brand"`
	Product   string `json:"product"` // the model it was read from, or the product string
	Kind      Kind   `json:"kind"`
	Source    string `json:"source"`
}

// descriptors is the collection of shop printers' lsusb descriptors the ids
// below come from.
const descriptors = "https://github.com/sintrb/USB-Printer-Descriptors README (lsusb of the unit)"

// usbIDs lists pairs only, never a vendor id alone: 0483 is
// STMicroelectronics' and 0471 Philips', lent to many makers' boards.
var usbIDs = []USBID{
	{"0483", "5743", "Xprinter", "XP-T58H (iManufacturer Xprinter, iProduct \"USB Printer P\")", Receipt, descriptors + ", 芯烨-XP-T58H"},
	{"2d37", "cbb4", "Xprinter", "XP-P323B", Label, descriptors + ", 芯烨-XP-P323B"},
	{"6868", "0200", "Gprinter", "GP-58MBIII+ (iManufacturer GPrinter, iProduct GP-58)", Receipt, descriptors + ", 佳博-58MBIII+"},
	{"6868", "0500", "Gprinter", "GP-R222C, ZH-380 (iProduct \"Gprinter USB Printer\")", Receipt, descriptors + ", 佳博GP-R222C and 佳博ZH-380"},
	{"0471", "0055", "Gprinter", "GP-3120TUD (iProduct \"Gprinter USB Printer\"; takes TSPL on endpoint 0x01)", Label, descriptors + ", 佳博-GP-31230TUD"},
	{"20d1", "7007", "HPRT", "HM-A300S (iManufacturer \"NXP SEMICONDUCTORS\")", Label, descriptors + ", 汉印-HM-A300S"},
}

// USBIDs lists the known vendor:product pairs.
func USBIDs() []USBID { return append([]USBID(nil), usbIDs...) }

func usbID(vendorID, productID string) (USBID, bool) {
	v, p := strings.ToLower(strings.TrimSpace(vendorID)), strings.ToLower(strings.TrimSpace(productID))
	for _, id := range usbIDs {
		if id.VendorID == v && id.ProductID == p {
			return id, true
		}
	}
	return USBID{}, false
}
