// Package sticker makes the table QR stickers of the scan-to-order
// channel: the URLs of seed 002 §1.4 (?rid=&tid=&ver=), one PNG per table
// (store name, table name, the QR) and a printable A4 PDF sheet, drawn with
// an embedded CJK font (font/README.md).
package sticker

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/posbridge/posbridge/ordering/menu"
)

// Sticker is what one table's sticker shows.
type Sticker struct {
	RestaurantID int64
	Table        menu.Table
	URL          string // what the QR encodes
	StoreName    string
	Title        string // "桌号 A1", or the virtual table's name
	Caption      string // what to do, e.g. 微信扫码点餐
}

// URL is the page address of a sticker (§1.4): base?rid=&tid=&ver=. base is
// the channel's public URL (ordering.public_url).
func URL(base string, restaurantID, tableID int64, version int) (string, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("公开网址 %q 不对：应是 https://order.example.com 这样的网址（不带 ? 和 #）", base)
	}
	path := u.EscapedPath()
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	return u.Scheme + "://" + u.Host + path + "?rid=" + strconv.FormatInt(restaurantID, 10) +
		"&tid=" + strconv.FormatInt(tableID, 10) + "&ver=" + strconv.Itoa(version), nil
}

// ForTable is the sticker of one table of a menu.
func ForTable(m *menu.Menu, restaurantID int64, base string, tableID int64) (Sticker, error) {
	t, ok := m.Table(tableID)
	if !ok {
		return Sticker{}, fmt.Errorf("桌台 %d 不在菜单里", tableID)
	}
	u, err := URL(base, restaurantID, t.ID, t.QRCodeVersion)
	if err != nil {
		return Sticker{}, err
	}
	s := Sticker{RestaurantID: restaurantID, Table: *t, URL: u, StoreName: m.Restaurant.Name, Title: t.Name, Caption: "微信扫码点餐"}
	switch t.ID {
	case menu.TableTakeout:
		s.Caption = "扫码下单，外卖自取"
	case menu.TableWaitPickup:
		s.Caption = "扫码下单，吧台取餐"
	case menu.TableSelfSelect:
		s.Caption = "扫码点餐，自选桌台"
	default:
		s.Title = "桌号 " + t.Name
	}
	return s, nil
}

// ForMenu is every table's sticker, in the menu's order.
func ForMenu(m *menu.Menu, restaurantID int64, base string) ([]Sticker, error) {
	var out []Sticker
	for _, t := range m.Restaurant.Tables {
		s, err := ForTable(m, restaurantID, base, t.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// FileName is the sticker's PNG name: table-1.png, takeout.png,
// wait-pickup.png, self-select.png.
func (s Sticker) FileName() string {
	switch s.Table.ID {
	case menu.TableTakeout:
		return "takeout.png"
	case menu.TableWaitPickup:
		return "wait-pickup.png"
	case menu.TableSelfSelect:
		return "self-select.png"
	}
	return "table-" + strconv.FormatInt(s.Table.ID, 10) + ".png"
}

// Footer is the small line for staff: which table and QR version.
func (s Sticker) Footer() string {
	return fmt.Sprintf("餐厅 %d | 桌台 %d | 二维码版本 %d", s.RestaurantID, s.Table.ID, s.Table.QRCodeVersion)
}
