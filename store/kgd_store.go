package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/order"
)

// The rest of the 开个店 store (schema 10): sold-out products, the store's
// status, waybills, 围餐 additions and reminders.

// SoldOut is one product posbridge marked sold out.
type SoldOut struct {
	StoreID string    `json:"store_id"`
	Code    string    `json:"code"`
	Channel string    `json:"channel"`
	Name    string    `json:"name"`
	Since   time.Time `json:"since"`
	Actor   string    `json:"actor"`
}

// SetSoldOut records codes as sold out (out) or back on sale in a store's channel.
func (tx *Tx) SetSoldOut(storeID, channel string, codes []string, names map[string]string, out bool, actor string) error {
	for _, c := range codes {
		var err error
		if out {
			_, err = tx.exec(`INSERT INTO sold_out(store_id, code, channel, name, since, actor) VALUES(?,?,?,?,?,?)
				ON CONFLICT(store_id, code, channel) DO UPDATE SET name = CASE WHEN excluded.name = '' THEN name ELSE excluded.name END`,
				storeID, c, channel, names[c], ms(tx.now), actor)
		} else {
			_, err = tx.exec(`DELETE FROM sold_out WHERE store_id = ? AND code = ? AND channel = ?`, storeID, c, channel)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// SoldOutList lists the sold-out products of every store, by store and code.
func (db *DB) SoldOutList(ctx context.Context) ([]SoldOut, error) {
	rows, err := db.readQuery(ctx, `SELECT store_id, code, channel, name, since, actor FROM sold_out ORDER BY store_id, code, channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SoldOut
	for rows.Next() {
		var s SoldOut
		var since int64
		if err := rows.Scan(&s.StoreID, &s.Code, &s.Channel, &s.Name, &since, &s.Actor); err != nil {
			return nil, err
		}
		s.Since = fromMS(since)
		out = append(out, s)
	}
	return out, rows.Err()
}

// ItemSeen is a product of recent orders: what staff pick to sell out.
type ItemSeen struct {
	StoreID string    `json:"store_id"`
	Code    string    `json:"code"` // thirdProductId = the merchant's customer code
	Name    string    `json:"name"`
	LastAt  time.Time `json:"last_at"`
	// Item is the line as last ordered (one unit, no parts), what staff
	// add to a 围餐 order.
	Item order.Item `json:"item"`
}

// RecentItems lists the products (with a merchant code) of the newest
// orders created since since, at most limit orders read; parts of set
// meals are listed too, since they sell out on their own.
func (db *DB) RecentItems(ctx context.Context, since time.Time, limit int) ([]ItemSeen, error) {
	rows, err := db.readQuery(ctx, `SELECT store_id, created_at, detail_json FROM orders
		WHERE created_at >= ? AND detail_json IS NOT NULL ORDER BY created_at DESC LIMIT ?`, ms(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[[2]string]int{}
	var out []ItemSeen
	var add func(storeID string, at time.Time, items []order.Item)
	add = func(storeID string, at time.Time, items []order.Item) {
		for _, it := range items {
			if it.ThirdProductID != "" && len(it.ThirdProductID) <= 64 {
				k := [2]string{storeID, it.ThirdProductID}
				if _, dup := seen[k]; !dup {
					seen[k] = len(out)
					line := it
					line.Quantity, line.Children, line.Materials, line.SharePrice, line.Seq = 1, nil, nil, 0, 0
					out = append(out, ItemSeen{StoreID: storeID, Code: it.ThirdProductID, Name: it.Name, LastAt: at, Item: line})
				}
			}
			add(storeID, at, it.Children)
		}
	}
	for rows.Next() {
		var storeID string
		var created int64
		var detail sql.NullString
		if err := rows.Scan(&storeID, &created, &detail); err != nil {
			return nil, err
		}
		var d struct {
			Items []order.Item `json:"items"`
		}
		if json.Unmarshal([]byte(detail.String), &d) != nil {
			continue // an unreadable detail is reported where it is shown
		}
		add(storeID, fromMS(created), d.Items)
	}
	return out, rows.Err()
}

// StoreStatus is the status posbridge last set for a store.
type StoreStatus struct {
	StoreID   string    `json:"store_id"`
	Event     int       `json:"event"` // setStoreStatus storeEvent
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
	OutboxID  int64     `json:"outbox_id"`
	Confirmed bool      `json:"confirmed"`
}

// SetStoreStatus records the status asked for and the outbox row carrying it.
func (tx *Tx) SetStoreStatus(s StoreStatus) error {
	_, err := tx.exec(`INSERT INTO store_status(store_id, event, actor, at, outbox_id, confirmed) VALUES(?,?,?,?,?,?)
		ON CONFLICT(store_id) DO UPDATE SET event = excluded.event, actor = excluded.actor, at = excluded.at,
		outbox_id = excluded.outbox_id, confirmed = excluded.confirmed`,
		s.StoreID, s.Event, s.Actor, ms(tx.now), s.OutboxID, s.Confirmed)
	return err
}

// ConfirmStoreStatus marks the status carried by outbox row id as accepted.
func (tx *Tx) ConfirmStoreStatus(outboxID int64) error {
	_, err := tx.exec(`UPDATE store_status SET confirmed = 1 WHERE outbox_id = ?`, outboxID)
	return err
}

// StoreStatuses lists the stores' statuses posbridge set.
func (db *DB) StoreStatuses(ctx context.Context) ([]StoreStatus, error) {
	rows, err := db.readQuery(ctx, `SELECT store_id, event, actor, at, outbox_id, confirmed FROM store_status ORDER BY store_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoreStatus
	for rows.Next() {
		var s StoreStatus
		var at int64
		if err := rows.Scan(&s.StoreID, &s.Event, &s.Actor, &at, &s.OutboxID, &s.Confirmed); err != nil {
			return nil, err
		}
		s.At = fromMS(at)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Delivery is an order's waybill as posbridge knows it.
type Delivery struct {
	OrderCode   string    `json:"order_code"`
	DeliveryID  string    `json:"delivery_id,omitempty"`
	Status      int       `json:"status"` // -1 unknown
	RiderName   string    `json:"rider_name,omitempty"`
	RiderPhone  string    `json:"-"` // shown masked
	ChannelCode string    `json:"channel_code,omitempty"`
	ChannelName string    `json:"channel_name,omitempty"`
	ExpressNo   string    `json:"express_no,omitempty"`
	Remark      string    `json:"remark,omitempty"`
	Text        string    `json:"text"`
	Alert       bool      `json:"alert"`
	ByStaff     bool      `json:"by_staff"`
	PlatformAt  time.Time `json:"platform_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// RiderPhoneMasked is the courier's phone as staff see it.
func (d Delivery) RiderPhoneMasked() string { return order.MaskPhone(d.RiderPhone) }

// SaveDelivery records an order's waybill. A push older than the one
// applied (by the platform's time) changes nothing; applied reports
// whether it was kept.
func (tx *Tx) SaveDelivery(d Delivery) (applied bool, err error) {
	var have int64
	err = tx.queryRow(`SELECT platform_at FROM order_delivery WHERE order_code = ?`, d.OrderCode).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, err
	case !d.ByStaff && !d.PlatformAt.IsZero() && have > ms(d.PlatformAt):
		return false, nil
	}
	_, err = tx.exec(`INSERT INTO order_delivery(order_code, delivery_id, status, rider_name, rider_phone, channel_code,
		channel_name, express_no, remark, text, alert, by_staff, platform_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(order_code) DO UPDATE SET delivery_id = `+keepOld("delivery_id")+`, status = excluded.status,
		rider_name = `+keepOld("rider_name")+`, rider_phone = `+keepOld("rider_phone")+`, channel_code = `+keepOld("channel_code")+`,
		channel_name = `+keepOld("channel_name")+`, express_no = `+keepOld("express_no")+`, remark = `+keepOld("remark")+`,
		text = excluded.text, alert = excluded.alert, by_staff = MAX(by_staff, excluded.by_staff),
		platform_at = MAX(platform_at, excluded.platform_at), updated_at = excluded.updated_at`,
		d.OrderCode, d.DeliveryID, d.Status, d.RiderName, d.RiderPhone, d.ChannelCode, d.ChannelName, d.ExpressNo,
		d.Remark, d.Text, d.Alert, d.ByStaff, ms(d.PlatformAt), ms(tx.now))
	return err == nil, err
}

// keepOld keeps a waybill field a newer report leaves empty: the courier
// staff entered, or named by an earlier push, stays until someone says otherwise.
func keepOld(col string) string {
	return "CASE WHEN excluded." + col + " = '' THEN " + col + " ELSE excluded." + col + " END"
}

const deliveryColumns = `order_code, delivery_id, status, rider_name, rider_phone, channel_code, channel_name, express_no,
	remark, text, alert, by_staff, platform_at, updated_at`

func scanDelivery(r rowScanner) (Delivery, error) {
	var d Delivery
	var pat, upd int64
	err := r.Scan(&d.OrderCode, &d.DeliveryID, &d.Status, &d.RiderName, &d.RiderPhone, &d.ChannelCode, &d.ChannelName,
		&d.ExpressNo, &d.Remark, &d.Text, &d.Alert, &d.ByStaff, &pat, &upd)
	d.PlatformAt, d.UpdatedAt = fromMS(pat), fromMS(upd)
	return d, err
}

// DeliveryOf is an order's waybill; ErrNotFound when none is known.
func (db *DB) DeliveryOf(ctx context.Context, code string) (Delivery, error) {
	d, err := scanDelivery(db.readRow(ctx, `SELECT `+deliveryColumns+` FROM order_delivery WHERE order_code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, ErrNotFound
	}
	return d, err
}

// DeliveriesOf are the waybills of codes, by code.
func (db *DB) DeliveriesOf(ctx context.Context, codes []string) (map[string]Delivery, error) {
	out := map[string]Delivery{}
	for len(codes) > 0 {
		n := min(len(codes), 500)
		args := make([]any, n)
		marks := make([]byte, 0, 2*n)
		for i, c := range codes[:n] {
			args[i] = c
			if i > 0 {
				marks = append(marks, ',')
			}
			marks = append(marks, '?')
		}
		codes = codes[n:]
		rows, err := db.readQuery(ctx, `SELECT `+deliveryColumns+` FROM order_delivery WHERE order_code IN (`+string(marks)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[d.OrderCode] = d
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AddTableAddition records a batch of 围餐 items added online under
// name+"@"+now. added is false when the same name (the same lines) was
// recorded within window: the platform repeating its push. The same lines
// added again later are a new batch (a second round of beer).
func (tx *Tx) AddTableAddition(code, name string, items []order.Item, window time.Duration) (batch string, added bool, err error) {
	var n int
	err = tx.queryRow(`SELECT COUNT(*) FROM table_additions WHERE order_code = ? AND substr(batch, 1, ?) = ? AND received_at >= ?`,
		code, len(name)+1, name+"@", ms(tx.now)-window.Milliseconds()).Scan(&n)
	if err != nil || n > 0 {
		return "", false, err
	}
	raw, err := json.Marshal(items)
	if err != nil {
		return "", false, err
	}
	batch = name + "@" + strconv.FormatInt(ms(tx.now), 10)
	res, err := tx.exec(`INSERT OR IGNORE INTO table_additions(order_code, batch, items_json, received_at) VALUES(?,?,?,?)`,
		code, batch, string(raw), ms(tx.now))
	if err != nil {
		return "", false, err
	}
	affected, _ := res.RowsAffected()
	return batch, affected == 1, nil
}

// TableAddition is one batch of items a table added online.
type TableAddition struct {
	Batch      string       `json:"batch"`
	Items      []order.Item `json:"items"`
	ReceivedAt time.Time    `json:"received_at"`
}

// TableAdditions lists an order's additions, oldest first.
func (db *DB) TableAdditions(ctx context.Context, code string) ([]TableAddition, error) {
	rows, err := db.readQuery(ctx, `SELECT batch, items_json, received_at FROM table_additions WHERE order_code = ? ORDER BY received_at, batch`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TableAddition
	for rows.Next() {
		var a TableAddition
		var raw string
		var at int64
		if err := rows.Scan(&a.Batch, &raw, &at); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(raw), &a.Items)
		a.ReceivedAt = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddReminder records a 备餐提醒 received at at. added is false for a
// repeat: the same time again, or one within window of the last (the
// current documents give the push no time of its own, so a platform's
// retry of it is told apart only by arriving close to the first).
func (tx *Tx) AddReminder(code string, at time.Time, window time.Duration) (added bool, err error) {
	var last int64
	err = tx.queryRow(`SELECT COALESCE(MAX(at), 0) FROM order_reminders WHERE order_code = ?`, code).Scan(&last)
	if err != nil {
		return false, err
	}
	if last != 0 && ms(at)-last < window.Milliseconds() && ms(at) >= last {
		return false, nil
	}
	res, err := tx.exec(`INSERT OR IGNORE INTO order_reminders(order_code, at) VALUES(?,?)`, code, ms(at))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Reminders lists when an order's reminders arrived, oldest first.
func (db *DB) Reminders(ctx context.Context, code string) ([]time.Time, error) {
	rows, err := db.readQuery(ctx, `SELECT at FROM order_reminders WHERE order_code = ? ORDER BY at`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, fromMS(at))
	}
	return out, rows.Err()
}

// pruneStoreExtras deletes what schema 10 keeps for the orders in codes
// (in is their placeholder list), with the orders.
func (tx *Tx) pruneStoreExtras(in string, codes []any) error {
	for _, table := range []string{"order_delivery", "table_additions", "order_reminders"} {
		if _, err := tx.exec(`DELETE FROM `+table+` WHERE order_code IN `+in, codes...); err != nil {
			return err
		}
	}
	return nil
}
