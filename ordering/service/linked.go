package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/store"
)

// The channel follows the 开个店 store (bridge's LinkedMenus port): a 沽清
// of an item sells out the menu products with the same customer code, and
// a store that rests or closes takes no scan-to-order orders until it
// opens again. The pause is kept in the meta table, so a restart does not
// reopen a resting store.

// pauseKey is the meta key of storeID's pause.
func pauseKey(storeID string) string { return "ordering_paused:" + storeID }

// pauseRecord is what the meta row holds while a store is paused.
type pauseRecord struct {
	Reason string    `json:"reason"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
}

// DefaultPauseNotice is what a phone reads when no reason was given.
const DefaultPauseNotice = "门店暂停接单"

// loadPauses reads the pauses of the stores the restaurants belong to.
func (c *Channel) loadPauses(ctx context.Context) error {
	c.pauses = map[string]string{}
	for _, r := range c.opt.Config.Ordering.Restaurants {
		v, err := c.opt.DB.Meta(ctx, pauseKey(r.StoreID))
		if err != nil {
			return fmt.Errorf("read the scan-to-order pause of store %s: %w", r.StoreID, err)
		}
		if v == "" {
			continue
		}
		var p pauseRecord
		if json.Unmarshal([]byte(v), &p) != nil || strings.TrimSpace(p.Reason) == "" {
			p.Reason = DefaultPauseNotice
		}
		c.pauses[r.StoreID] = p.Reason
	}
	return nil
}

// Paused is why storeID takes no scan-to-order orders now ("" = it does).
func (c *Channel) Paused(storeID string) string {
	c.pauseMu.Lock()
	defer c.pauseMu.Unlock()
	return c.pauses[storeID]
}

// PauseOrdering closes (paused) or reopens scan-to-order for storeID:
// restaurant info shows reason, calc-fee and create refuse with it. It is
// written before it takes effect, and audited.
func (c *Channel) PauseOrdering(ctx context.Context, storeID string, paused bool, reason, actor string) error {
	reason = strings.TrimSpace(reason)
	if paused && reason == "" {
		reason = DefaultPauseNotice
	}
	value, action := "", "ordering_reopen"
	if paused {
		b, err := json.Marshal(pauseRecord{Reason: reason, Actor: actor, At: c.now()})
		if err != nil {
			return err
		}
		value, action = string(b), "ordering_pause"
	}
	c.pauseMu.Lock() // the row and the map change together
	defer c.pauseMu.Unlock()
	err := c.opt.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetMeta(pauseKey(storeID), value); err != nil {
			return err
		}
		return tx.AppendAudit(store.Audit{Actor: actor, Action: action, Detail: strings.TrimSpace("store " + storeID + " " + reason)})
	})
	if err != nil {
		return fmt.Errorf("保存扫码点餐的暂停状态：%w", err)
	}
	if paused {
		c.pauses[storeID] = reason
	} else {
		delete(c.pauses, storeID)
	}
	c.opt.Log.Info("ordering: scan-to-order "+map[bool]string{true: "paused", false: "reopened"}[paused], "store", storeID, "actor", actor)
	return nil
}

// SellOutLinked marks the products of storeID's menus whose customer code
// is one of codes sold out (out) or back on sale, through the menu edit
// (file written, audited); it returns the codes found on those menus. A
// product already in that state is left as it is.
func (c *Channel) SellOutLinked(ctx context.Context, storeID string, codes []string, out bool, actor string) ([]string, error) {
	want := map[string]bool{}
	for _, code := range codes {
		if code = strings.TrimSpace(code); code != "" {
			want[code] = true
		}
	}
	var linked []string
	var failed []string
	for _, r := range c.opt.Config.Ordering.Restaurants {
		if r.StoreID != storeID {
			continue
		}
		m, _, ok := c.Menu(r.ID)
		if !ok {
			continue
		}
		var changes []menu.Change
		var names []string
		for i := range m.Products {
			p := &m.Products[i]
			code := strings.TrimSpace(p.CustomerCode)
			if !want[code] {
				continue
			}
			if !slices.Contains(linked, code) {
				linked = append(linked, code)
			}
			if p.SoldOut != out {
				changes = append(changes, menu.SetSoldOut(p.ID, out))
				names = append(names, p.Name)
			}
		}
		if len(changes) == 0 {
			continue
		}
		what := "开个店" + map[bool]string{true: "沽清", false: "取消沽清"}[out] + "：" + strings.Join(names, "、")
		if _, _, err := c.Edit(ctx, r.ID, actor, what, changes...); err != nil {
			failed = append(failed, fmt.Sprintf("餐厅 %d：%v", r.ID, err))
		}
	}
	slices.Sort(linked)
	if len(failed) > 0 {
		return linked, fmt.Errorf("%s", strings.Join(failed, "；"))
	}
	return linked, nil
}

func (c *Channel) now() time.Time {
	if c.opt.Now != nil {
		return c.opt.Now()
	}
	return time.Now()
}
