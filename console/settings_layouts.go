package console

import (
	"net/http"
	"slices"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer"
)

func (s *Server) routeLayouts(mux *routeMux) {
	mux.HandleFunc("GET /api/settings/layouts", s.getLayouts)
	mux.HandleFunc("PUT /api/settings/layouts", s.putLayouts)
	mux.HandleFunc("POST /api/layouts/preview", s.previewLayout)
}

type layoutField struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

type layoutDoc struct {
	Key    string        `json:"key"`
	Label  string        `json:"label"`
	Fields []layoutField `json:"fields"`
}

func (s *Server) getLayouts(w http.ResponseWriter, r *http.Request) {
	docs := make([]layoutDoc, 0, len(config.LayoutDocs))
	for _, d := range config.LayoutDocs {
		ld := layoutDoc{Key: d, Label: config.LayoutDocLabels[d]}
		for _, f := range config.LayoutFields[d] {
			ld.Fields = append(ld.Fields, layoutField{Key: f, Label: config.LayoutFieldLabels[f]})
		}
		docs = append(docs, ld)
	}
	writeJSON(w, http.StatusOK, map[string]any{"layouts": s.current().Layouts, "docs": docs, "editable": s.Settings != nil})
}

// putLayouts replaces layouts: in the settings layer; a broken layout is
// refused with its reasons (422).
func (s *Server) putLayouts(w http.ResponseWriter, r *http.Request) {
	if s.Settings == nil {
		writeError(w, http.StatusServiceUnavailable, "此模式下不能在控制台修改设置")
		return
	}
	var body struct {
		Layouts *config.LayoutsConfig `json:"layouts"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Layouts == nil {
		writeError(w, http.StatusBadRequest, "缺少 layouts")
		return
	}
	next, err := s.Settings.Apply(config.Edit{Key: "layouts", Value: *body.Layouts})
	if !s.settingsSaved(w, err) {
		return
	}
	s.log().Info("receipt layouts changed from the console", "by", actorOf(r))
	writeJSON(w, http.StatusOK, map[string]any{"layouts": next.Layouts})
}

// previewLayout prints the sample order with a layout not yet saved, on
// the first configured printer of the document's kind (else a default
// 80 mm or 40×30 mm one), and decodes the bytes as the preview of a job.
func (s *Server) previewLayout(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Doc    string              `json:"doc"`
		Layout config.LayoutConfig `json:"layout"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !slices.Contains(config.LayoutDocs, body.Doc) {
		writeError(w, http.StatusBadRequest, "doc 须为 customer、merchant、kitchen、delivery 或 label")
		return
	}
	c := s.current()
	role := config.RoleReceipt
	switch body.Doc {
	case config.DocKitchen:
		role = config.RoleKitchen
	case config.DocLabel:
		role = config.RoleLabel
	}
	pc := config.PrinterConfig{Name: "preview", Role: role, Paper: "80mm", Columns: 48, Charset: "gbk", Copies: 1,
		Language: config.LanguageESCPOS, Label: config.LabelConfig{WidthMM: 40, HeightMM: 30, GapMM: 2, DPI: 203}, StatusQuery: "off"}
	if role == config.RoleLabel {
		pc.Language = config.LanguageTSPL
	}
	for _, p := range c.Printers {
		if p.Role == role {
			pc = p
			break
		}
	}
	prof, err := printer.ProfileFromConfig(pc)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	opt := printer.OptionsFor(pc, c.Print)
	opt.Layout = printer.LayoutFrom(body.Layout)
	opt.Copies = 1
	opt.Sandbox = true
	o := sampleOrder(s.now())
	var doc printer.Document
	switch body.Doc {
	case config.DocKitchen:
		doc = printer.KitchenTickets(o, printer.Matcher{}, opt)[0]
	case config.DocLabel:
		doc = printer.CupLabels(o, printer.Matcher{}, opt)[0]
	default:
		doc = printer.Receipt(o, opt)
	}
	data, err := printer.Render(doc, prof)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	pv := printer.DecodeFor(prof, data)
	writeJSON(w, http.StatusOK, map[string]any{"doc": body.Doc, "printer": pc.Name, "preview": pv, "text": pv.Text(), "bytes": len(data)})
}

// sampleOrder is the order the layout preview prints: a delivery with
// options, add-ons, a set meal and a note, so that every field shows.
func sampleOrder(now time.Time) *order.Order {
	return &order.Order{
		Code: "3820001862001", StoreName: "南翔一店", Type: order.TypeDelivery, PickupNo: "1003", CreatedAt: now,
		ExpectAt: now.Add(40 * time.Minute), Mobile: "13812345678", PayChannelName: "微信支付",
		Address: "上海市嘉定区南翔镇民主街36弄5号402", Note: "少冰，不要吸管",
		Deliveries: []order.Contact{{Kind: 1, Name: "张先生", Mobile: "13812345678", Address: "上海市嘉定区南翔镇民主街36弄5号402"}},
		Items: []order.Item{
			{Seq: 1, Name: "珍珠奶茶", Price: 1500, Quantity: 2, Spec: "大杯", Property: "少冰 / 半糖", Unit: "杯",
				Materials: []order.Item{{Name: "珍珠", Quantity: 1, Price: 100}, {Name: "芝士奶盖", Quantity: 1, Price: 300}}},
			{Seq: 2, Name: "杨枝甘露", Price: 1900, Quantity: 1, Spec: "中杯", Property: "去冰", Unit: "杯"},
			{Seq: 3, Name: "下午茶套餐", Price: 3200, Quantity: 1, ProductType: 6, Children: []order.Item{
				{Name: "葡式蛋挞", Quantity: 2}, {Name: "柠檬茶", Quantity: 1, Spec: "中杯"}}},
		},
		PackageFee: 300, DeliverFee: 500, Original: 8900, Discount: 500, ActualPay: 8400,
	}
}
