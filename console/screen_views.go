package console

import (
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// The JSON of the kitchen and pickup screens (GET /api/kitchen, POST
// /api/kitchen/{code}/bump, GET /api/pickup). Each view mirrors its bridge
// type field for field, so that a field added in bridge stops compilation
// until it is named here.

// kitchenItemView is bridge.KitchenItem.
type kitchenItemView struct {
	Index  int        `json:"index"`
	Item   order.Item `json:"item"`
	Bumped bool       `json:"bumped"`
}

// kitchenTicketView is bridge.KitchenTicket.
type kitchenTicketView struct {
	Code        string            `json:"code"`
	PickupNo    string            `json:"pickup_no,omitempty"`
	StoreID     string            `json:"store_id"`
	StoreName   string            `json:"store_name,omitempty"`
	Status      order.Status      `json:"status"`
	StatusLabel string            `json:"status_label"`
	TypeLabel   string            `json:"type_label,omitempty"`
	Table       string            `json:"table,omitempty"`
	Note        string            `json:"note,omitempty"`
	ExpectAt    time.Time         `json:"expect_at,omitzero"`
	Since       time.Time         `json:"since"` // when the kitchen got it (accepted)
	DoneAt      time.Time         `json:"done_at,omitzero"`
	Paused      bool              `json:"paused,omitempty"`   // a refund request stopped the kitchen
	Recalled    bool              `json:"recalled,omitempty"` // brought back after it was done
	Items       []kitchenItemView `json:"items"`
}

// kitchenBoardView is bridge.KitchenBoard.
type kitchenBoardView struct {
	Station  string              `json:"station"`
	Printer  bool                `json:"printer"` // a kitchen printer prints this station too
	Tickets  []kitchenTicketView `json:"tickets"`
	Recent   []kitchenTicketView `json:"recent"`
	Stations []string            `json:"stations"`
}

// bumpResultView is bridge.BumpResult.
type bumpResultView struct {
	Code        string `json:"code"`
	StationDone bool   `json:"station_done"`
	Made        bool   `json:"made"`
	Message     string `json:"message,omitempty"`
}

// pickupNumberView is bridge.PickupNumber.
type pickupNumberView struct {
	Code     string    `json:"code"`
	PickupNo string    `json:"pickup_no"`
	StoreID  string    `json:"store_id"`
	Since    time.Time `json:"since"` // accepted (制作中) or made (请取餐)
}

// pickupBoardView is bridge.PickupBoard.
type pickupBoardView struct {
	Making []pickupNumberView `json:"making"`
	Ready  []pickupNumberView `json:"ready"`
}

func viewOfKitchenTicket(t bridge.KitchenTicket) kitchenTicketView {
	return kitchenTicketView{Code: t.Code, PickupNo: t.PickupNo, StoreID: t.StoreID, StoreName: t.StoreName, Status: t.Status,
		StatusLabel: t.StatusLabel, TypeLabel: t.TypeLabel, Table: t.Table, Note: t.Note, ExpectAt: t.ExpectAt, Since: t.Since,
		DoneAt: t.DoneAt, Paused: t.Paused, Recalled: t.Recalled,
		Items: convertAll(t.Items, func(i bridge.KitchenItem) kitchenItemView { return kitchenItemView(i) })}
}

func viewOfKitchenBoard(b bridge.KitchenBoard) kitchenBoardView {
	return kitchenBoardView{Station: b.Station, Printer: b.Printer, Tickets: convertAll(b.Tickets, viewOfKitchenTicket),
		Recent: convertAll(b.Recent, viewOfKitchenTicket), Stations: b.Stations}
}

func viewOfPickupBoard(b bridge.PickupBoard) pickupBoardView {
	number := func(n bridge.PickupNumber) pickupNumberView { return pickupNumberView(n) }
	return pickupBoardView{Making: convertAll(b.Making, number), Ready: convertAll(b.Ready, number)}
}
