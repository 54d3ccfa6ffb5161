package kaigedian

import (
	"context"
	"strconv"
	"strings"
)

// PathSetStoreStatus opens, closes, rests (置休) or reopens a store (store.md).
const PathSetStoreStatus = "/store/setStoreStatus"

// StoreEvent is setStoreStatus's storeEvent.
type StoreEvent int

// The documented events: 1 营业, 2 停业, 3 置休, 4 开启 (the end of a rest).
const (
	StoreOpen   StoreEvent = 1
	StoreClose  StoreEvent = 2
	StoreRest   StoreEvent = 3
	StoreReopen StoreEvent = 4
)

// Valid reports whether e is documented.
func (e StoreEvent) Valid() bool { return e >= StoreOpen && e <= StoreReopen }

// SetStoreStatusRequest changes a store's status; the operator is required.
type SetStoreStatusRequest struct {
	StoreID  string
	Operator string
	Event    StoreEvent
}

// Validate lists what is wrong with the request.
func (r SetStoreStatusRequest) Validate() []FieldError {
	var p []FieldError
	if strings.TrimSpace(r.StoreID) == "" {
		p = append(p, FieldError{"storeId", "is empty"})
	}
	if strings.TrimSpace(r.Operator) == "" {
		p = append(p, FieldError{"operator", "is empty: the platform requires who changed the store status"})
	}
	if !r.Event.Valid() {
		p = append(p, FieldError{"storeEvent", strconv.Itoa(int(r.Event)) + " is not 1 (open), 2 (close), 3 (rest) or 4 (reopen)"})
	}
	return p
}

// SetStoreStatus sends /store/setStoreStatus once with transaction id txID.
func (c *Client) SetStoreStatus(ctx context.Context, txID string, req SetStoreStatusRequest) error {
	if err := invalid(PathSetStoreStatus, req.Validate()); err != nil {
		return err
	}
	body := struct {
		StoreID    string `json:"storeId"`
		Operator   string `json:"operator"`
		StoreEvent int    `json:"storeEvent"` // an Integer in the table
	}{strings.TrimSpace(req.StoreID), strings.TrimSpace(req.Operator), int(req.Event)}
	_, err := c.command(ctx, PathSetStoreStatus, txID, body)
	return err
}
