package bridge

import (
	"context"
	"strings"
	"sync"
)

// LinkedMenus is a menu posbridge serves itself whose products may carry
// a 开个店 customer code (the scan-to-order channel's menus, issue 15): a
// product sold out on 开个店 is sold out there too, and a store that rests
// (置休) or closes stops taking scan-to-order orders until it opens again.
// The scan-to-order channel implements it; until one is set, 沽清 and the
// store status reach 开个店 only.
type LinkedMenus interface {
	// SellOutLinked marks the products of storeID's menus whose customer
	// code is one of codes sold out (out) or back on sale, and returns the
	// codes it found there.
	SellOutLinked(ctx context.Context, storeID string, codes []string, out bool, actor string) (linked []string, err error)
	// PauseOrdering closes (paused) or reopens scan-to-order for storeID;
	// reason is what customers are told, e.g. 门店置休，暂停接单.
	PauseOrdering(ctx context.Context, storeID string, paused bool, reason, actor string) error
}

type linkedMenus struct {
	mu sync.Mutex
	m  LinkedMenus
}

// SetLinkedMenus links 沽清 and the store status to menus posbridge serves.
func (b *Bridge) SetLinkedMenus(m LinkedMenus) {
	b.linked.mu.Lock()
	defer b.linked.mu.Unlock()
	b.linked.m = m
}

func (b *Bridge) linkedMenus() LinkedMenus {
	b.linked.mu.Lock()
	defer b.linked.mu.Unlock()
	return b.linked.m
}

// sellOutLinked applies a 沽清 change to the linked menus; a failure is an
// alert (the change on 开个店 goes on regardless).
func (b *Bridge) sellOutLinked(ctx context.Context, storeID string, codes []string, out bool, actor string) {
	m := b.linkedMenus()
	if m == nil {
		return
	}
	what := "取消沽清"
	if out {
		what = "沽清"
	}
	linked, err := m.SellOutLinked(ctx, storeID, codes, out, actor)
	if err != nil {
		b.log.Warn("linked menus: sell out", "store", storeID, "err", err)
		b.bus.Publish(Event{Type: EvAlert, Kind: "store_call", Level: LevelWarn, Message: "扫码点餐菜单" + what + "失败：" + err.Error()})
		return
	}
	if len(linked) > 0 {
		b.bus.Publish(Event{Type: EvPlatform, Kind: "store_call", Message: "扫码点餐菜单已" + what + "：" + strings.Join(linked, "、")})
	}
}

// pauseLinked follows a store status on the linked menus: 置休 and 停业
// close scan-to-order, 营业 and 开启 open it.
func (b *Bridge) pauseLinked(ctx context.Context, storeID string, ev StoreEvent, actor string) {
	m := b.linkedMenus()
	if m == nil {
		return
	}
	paused := ev.pauses()
	reason := ""
	if paused {
		reason = "门店" + ev.Label() + "，暂停接单"
	}
	if err := m.PauseOrdering(ctx, storeID, paused, reason, actor); err != nil {
		b.log.Warn("linked menus: pause ordering", "store", storeID, "err", err)
		b.bus.Publish(Event{Type: EvAlert, Kind: "store_call", Level: LevelWarn, Message: "扫码点餐未能" + map[bool]string{true: "暂停", false: "恢复"}[paused] + "接单：" + err.Error()})
	}
}
