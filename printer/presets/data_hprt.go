package presets

// 汉印 HPRT (Xiamen Hanin).
const tp80xManual = "HPRT TP801/TP805/TP806 Programming Manual Rev 1.0 and TP801/TP805/TP806 User Manual (hprt.com)"

var hprt = []Preset{
	{
		ID: "hprt-tp805", Brand: "HPRT", BrandZH: "汉印", Model: "TP805", Aliases: []string{"TP805L", "TP-805"},
		Kind: Receipt, Language: "escpos", PaperMM: 80, Columns: 42, Charset: "gb2312",
		Cutter: Unknown, DLEEOT: Unknown, GSr: Unknown, NativeQR: Unknown, NativeBarcode: Unknown, DPI: 203,
		Interfaces: []string{"usb", "serial", "lan"},
		Note:       "80 毫米机型；标配 USB 和钱箱口，网口/串口为选配通讯板。",
		Sources: map[Fact]string{
			FactLanguage:   "ESC/POS: " + tp80xManual + "; the user manual (§5 Interfaces) says the parallel port follows the TM-T88IV protocol",
			FactPaper:      "unverified: 80 mm, from the model family (TP80x) and shops' listings",
			FactColumns:    "unverified print width: " + specColumns80 + "; 42 fits both",
			FactCharset:    specCharset,
			FactCutter:     cutUnverified,
			FactStatus:     "unverified for the TP805: its programming manual was seen only to its contents; the sibling HPRT TP809 Programming Manual Rev 1.2 documents DLE EOT n (p. 30) and GS r n (p. 27); status_query off until a test print shows the replies",
			FactQR:         "unverified for the TP805: the sibling TP809 Programming Manual Rev 1.2 documents GS ( k QR functions 180–182 (p. 42–43); raster until confirmed",
			FactBarcode:    specBarcode,
			FactDPI:        "unverified: 203 dpi, the head of 80 mm thermal receipt printers (spec §1)",
			FactInterfaces: "USB and cash drawer standard; Ethernet, parallel and RS-232 boards optional (TP801/TP805/TP806 User Manual, §5 Interfaces signal)",
		},
	},
	{
		ID: "hprt-ht300", Brand: "HPRT", BrandZH: "汉印", Model: "HT300", Aliases: []string{"HT-300", "HT300 Pro"},
		Kind: Label, Language: "tspl", PaperMM: 80,
		Cutter: Unknown, DLEEOT: Unknown, GSr: No, NativeQR: Unknown, NativeBarcode: Unknown, DPI: 203,
		Interfaces: []string{"usb"},
		Note:       "标签机；分辨率以机身铭牌为准（300 dpi 的机型请把 dpi 改为 300）。",
		Sources: map[Fact]string{
			FactLanguage:   "unverified: TSPL; HPRT's label line takes TSPL and CPCL as sent (" + descriptors + ", 汉印-HM-A300S: TSPL、CPCL均一样), not confirmed on the HT300",
			FactPaper:      "unverified: labels up to 80 mm wide, from shops' listings",
			FactCutter:     cutLabel,
			FactStatus:     "unverified: <ESC>!? on TSPL (spec §9) not confirmed on this model; status_query off; GS r is ESC/POS only",
			FactQR:         "unverified: TSPL QRCODE (spec §9) not confirmed on this model",
			FactBarcode:    "unverified: TSPL BARCODE (spec §9) not confirmed on this model",
			FactDPI:        specTSPLDPI + "; the name may mean a 300 dpi head, unconfirmed",
			FactInterfaces: ifUnverified,
		},
	},
}
