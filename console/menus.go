package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/money"
	"github.com/posbridge/posbridge/ordering/sticker"
)

// MenuDesk is the scan-to-order channel as the console's 菜单 view uses it:
// each restaurant's current menu, and edits written to its file (comments
// kept) and audited.
type MenuDesk interface {
	Restaurants() []config.RestaurantConfig
	Menu(rid int64) (*menu.Menu, string, bool)
	Edit(ctx context.Context, rid int64, actor, what string, changes ...menu.Change) (*menu.Menu, []string, error)
	ClearTable(ctx context.Context, rid, tableID int64, actor string) error
	PrintSticker(ctx context.Context, rid, tableID int64, actor string) (printer string, err error)
}

func (s *Server) routeMenus(mux *routeMux) {
	mux.HandleFunc("GET /api/menus", s.listMenus)
	mux.HandleFunc("POST /api/menus/{rid}/products/{id}/price", s.menuEdit(setPrice))
	mux.HandleFunc("POST /api/menus/{rid}/products/{id}/sold-out", s.menuEdit(setSoldOut))
	mux.HandleFunc("POST /api/menus/{rid}/condiments/{id}/sold-out", s.menuEdit(setCondimentSoldOut))
	mux.HandleFunc("POST /api/menus/{rid}/tables", s.menuEdit(addTable))
	mux.HandleFunc("POST /api/menus/{rid}/tables/{id}/raise-qr", s.menuEdit(raiseQR))
	mux.HandleFunc("POST /api/menus/{rid}/tables/{id}/clear", s.clearTable)
	mux.HandleFunc("GET /api/menus/{rid}/tables/{id}/sticker.png", s.stickerPNG)
	mux.HandleFunc("POST /api/menus/{rid}/tables/{id}/print-sticker", s.printSticker)
}

type menuView struct {
	ID       int64          `json:"id"`
	StoreID  string         `json:"store_id"`
	Name     string         `json:"name"`
	File     string         `json:"file"`
	Cats     []catView      `json:"categories"`
	Products []productView  `json:"products"`
	Conds    []condView     `json:"condiments"`
	Tables   []tableView    `json:"tables"`
	Problem  string         `json:"problem,omitempty"`
	Counts   map[string]int `json:"counts"`
}

type catView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type specView struct {
	PU           int    `json:"pu"`
	Unit         string `json:"unit"`
	Price        string `json:"price"`
	TakeoutPrice string `json:"takeout_price"`
}

type productView struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Category int64      `json:"category"`
	SetMeal  bool       `json:"set_meal"`
	SoldOut  bool       `json:"sold_out"`
	Specs    []specView `json:"specs"`
}

type condView struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Price   string `json:"price"`
	SoldOut bool   `json:"sold_out"`
}

type tableView struct {
	ID      int64  `json:"table_id"`
	Name    string `json:"table_name"`
	Seats   int    `json:"seat_num"`
	Version int    `json:"qrcode_version"`
	URL     string `json:"url,omitempty"`
	Virtual bool   `json:"virtual"`
}

func (s *Server) listMenus(w http.ResponseWriter, r *http.Request) {
	out := []menuView{}
	if s.Menus == nil {
		writeJSON(w, http.StatusOK, map[string]any{"restaurants": out, "enabled": false})
		return
	}
	for _, rc := range s.Menus.Restaurants() {
		m, path, ok := s.Menus.Menu(rc.ID)
		if !ok || m == nil {
			out = append(out, menuView{ID: rc.ID, StoreID: rc.StoreID, File: path, Problem: "菜单没有读取成功"})
			continue
		}
		v := menuView{ID: rc.ID, StoreID: rc.StoreID, Name: m.Restaurant.Name, File: path, Counts: map[string]int{}}
		for _, c := range m.Restaurant.Categories {
			v.Cats = append(v.Cats, catView{c.ID, c.Name})
		}
		seen := map[int64]bool{}
		for i := range m.Products {
			p := &m.Products[i]
			pv := productView{ID: p.ID, Name: p.Name, Category: p.Category, SetMeal: p.IsSetMeal(), SoldOut: m.SoldOut(p)}
			for _, sp := range p.Specs {
				pv.Specs = append(pv.Specs, specView{sp.PU, sp.Unit, money.Format(sp.Price), money.Format(sp.TakeoutPrice)})
			}
			if pv.SoldOut {
				v.Counts["sold_out"]++
			}
			v.Products = append(v.Products, pv)
			for _, c := range p.Condiments {
				if !seen[c.ID] {
					seen[c.ID] = true
					v.Conds = append(v.Conds, condView{c.ID, c.Name, money.Format(c.Price), c.SoldOut})
				}
			}
		}
		for _, t := range m.Restaurant.Tables {
			tv := tableView{ID: t.ID, Name: t.Name, Seats: t.SeatNum, Version: t.QRCodeVersion, Virtual: t.IsVirtual()}
			if s.Config.Ordering.PublicURL != "" {
				tv.URL, _ = sticker.URL(s.Config.Ordering.PublicURL, rc.ID, t.ID, t.QRCodeVersion)
			}
			v.Tables = append(v.Tables, tv)
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"restaurants": out, "enabled": true})
}

// menuChange reads one edit from a request: the changes and a sentence for
// the audit log.
type menuChange func(r *http.Request, m *menu.Menu, id int64) ([]menu.Change, string, error)

func (s *Server) menuEdit(build menuChange) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Menus == nil {
			writeError(w, http.StatusNotFound, "扫码点餐没有启用（posbridge.yaml 的 ordering.listen）")
			return
		}
		rid, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
		if err != nil {
			writeError(w, http.StatusNotFound, "没有这家餐厅")
			return
		}
		m, _, ok := s.Menus.Menu(rid)
		if !ok {
			writeError(w, http.StatusNotFound, "没有这家餐厅")
			return
		}
		var id int64
		if v := r.PathValue("id"); v != "" {
			if id, err = strconv.ParseInt(v, 10, 64); err != nil {
				writeError(w, http.StatusNotFound, "编号应是整数")
				return
			}
		}
		changes, what, err := build(r, m, id)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		_, notes, err := s.Menus.Edit(r.Context(), rid, actorOf(r), what, changes...)
		var ps menu.Problems
		switch {
		case errors.As(err, &ps):
			writeError(w, http.StatusBadRequest, "改动后菜单有问题，没有保存："+err.Error())
		case err != nil:
			writeError(w, http.StatusBadRequest, err.Error())
		default:
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "done": what, "notes": notes})
		}
	}
}

func setPrice(r *http.Request, m *menu.Menu, id int64) ([]menu.Change, string, error) {
	var body struct {
		PU           int    `json:"pu"`
		Price        string `json:"price"`
		TakeoutPrice string `json:"takeout_price"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, "", err
	}
	p, ok := m.Product(id)
	if !ok {
		return nil, "", fmt.Errorf("没有商品 %d", id)
	}
	if _, ok := p.Spec(body.PU); !ok {
		return nil, "", fmt.Errorf("「%s」没有规格 %d", p.Name, body.PU)
	}
	var changes []menu.Change
	var parts []string
	for _, f := range []struct {
		text, label string
		change      func(int64, int, money.Fen) menu.Change
	}{{body.Price, "价格", menu.SetPrice}, {body.TakeoutPrice, "外卖价", menu.SetTakeoutPrice}} {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		fen, err := money.Parse(strings.TrimSpace(f.text))
		if err != nil {
			return nil, "", fmt.Errorf("%s「%s」：%v，请写成 12 或 12.50", f.label, f.text, err)
		}
		changes = append(changes, f.change(id, body.PU, fen))
		parts = append(parts, fmt.Sprintf("%s ￥%s", f.label, money.Format(fen)))
	}
	if len(changes) == 0 {
		return nil, "", errors.New("请填写新的价格")
	}
	return changes, fmt.Sprintf("「%s」规格 %d %s", p.Name, body.PU, strings.Join(parts, "，")), nil
}

func setSoldOut(r *http.Request, m *menu.Menu, id int64) ([]menu.Change, string, error) {
	var body struct {
		SoldOut bool `json:"sold_out"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, "", err
	}
	p, ok := m.Product(id)
	if !ok {
		return nil, "", fmt.Errorf("没有商品 %d", id)
	}
	return []menu.Change{menu.SetSoldOut(id, body.SoldOut)}, fmt.Sprintf("「%s」%s", p.Name, soldOutWord(body.SoldOut)), nil
}

func setCondimentSoldOut(r *http.Request, m *menu.Menu, id int64) ([]menu.Change, string, error) {
	var body struct {
		SoldOut bool `json:"sold_out"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, "", err
	}
	for i := range m.Products {
		if c, ok := m.Products[i].Condiment(id); ok {
			return []menu.Change{menu.SetCondimentSoldOut(id, body.SoldOut)}, fmt.Sprintf("加料「%s」%s", c.Name, soldOutWord(body.SoldOut)), nil
		}
	}
	return nil, "", fmt.Errorf("没有加料 %d", id)
}

func soldOutWord(b bool) string {
	if b {
		return "沽清"
	}
	return "恢复供应"
}

func addTable(r *http.Request, m *menu.Menu, _ int64) ([]menu.Change, string, error) {
	var body struct {
		ID    int64  `json:"table_id"`
		Name  string `json:"table_name"`
		Seats int    `json:"seat_num"`
	}
	if err := readJSON(r, &body); err != nil {
		return nil, "", err
	}
	name := strings.TrimSpace(body.Name)
	switch {
	case body.ID < 1:
		return nil, "", errors.New("桌台编号应是正整数（与收银系统一致）")
	case name == "" || len([]rune(name)) > 20:
		return nil, "", errors.New("请填写桌台名称（最多 20 个字）")
	case body.Seats < 0 || body.Seats > 99:
		return nil, "", errors.New("座位数应在 0 到 99 之间")
	}
	if _, exists := m.Table(body.ID); exists {
		return nil, "", fmt.Errorf("桌台 %d 已经有了", body.ID)
	}
	return []menu.Change{menu.AddTable(menu.Table{ID: body.ID, Name: name, SeatNum: body.Seats, QRCodeVersion: 1})},
		fmt.Sprintf("新增桌台 %d「%s」", body.ID, name), nil
}

func raiseQR(r *http.Request, m *menu.Menu, id int64) ([]menu.Change, string, error) {
	t, ok := m.Table(id)
	if !ok {
		return nil, "", fmt.Errorf("没有桌台 %d", id)
	}
	return []menu.Change{menu.RaiseQRCodeVersion(id)},
		fmt.Sprintf("桌台「%s」二维码版本 %d → %d（旧贴纸作废）", t.Name, t.QRCodeVersion, t.QRCodeVersion+1), nil
}

func (s *Server) clearTable(w http.ResponseWriter, r *http.Request) {
	rid, err1 := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	tid, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if s.Menus == nil || err1 != nil || err2 != nil {
		writeError(w, http.StatusNotFound, "没有这张桌台")
		return
	}
	if err := s.Menus.ClearTable(r.Context(), rid, tid, actorOf(r)); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// stickerPNG is one table's sticker, for the console to show or print.
func (s *Server) stickerPNG(w http.ResponseWriter, r *http.Request) {
	rid, err1 := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	tid, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if s.Menus == nil || err1 != nil || err2 != nil {
		writeError(w, http.StatusNotFound, "没有这张桌台")
		return
	}
	m, _, ok := s.Menus.Menu(rid)
	if !ok {
		writeError(w, http.StatusNotFound, "没有这家餐厅")
		return
	}
	if s.Config.Ordering.PublicURL == "" {
		writeError(w, http.StatusConflict, "请先在 posbridge.yaml 设置 ordering.public_url（顾客手机打开的网址）")
		return
	}
	st, err := sticker.ForTable(m, rid, s.Config.Ordering.PublicURL, tid)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	png, err := sticker.PNG(st)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}

// printSticker prints one table's sticker on the receipt printer.
func (s *Server) printSticker(w http.ResponseWriter, r *http.Request) {
	rid, err1 := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	tid, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if s.Menus == nil || err1 != nil || err2 != nil {
		writeError(w, http.StatusNotFound, "没有这张桌台")
		return
	}
	name, err := s.Menus.PrintSticker(r.Context(), rid, tid, actorOf(r))
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "printer": name})
}
