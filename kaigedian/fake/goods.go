package fake

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/posbridge/posbridge/kaigedian"
)

// 沽清 and store status: the platform's side of goods.md and store.md.

// productCodes are the merchant codes (customerCode = thirdProductId) of
// every product on the sandbox menus, parts of set meals included.
func productCodes() map[string]string {
	codes := map[string]string{}
	for _, menu := range [][]dish{teaMenu, restaurantMenu} {
		for _, d := range menu {
			codes[d.id] = d.name
			for _, c := range d.combo {
				codes[c.id] = c.name
			}
		}
	}
	return codes
}

// soldOutKey is one store's sold-out set of one channel ("" = the
// platform's default, which the documents do not name: the fake treats it
// as every channel).
func soldOutKey(storeID, channel string) string { return storeID + "|" + channel }

func (p *Platform) handleSellOut(b *body, _ string) result { return p.sellOut(b, true) }

func (p *Platform) handleCancelSellOut(b *body, _ string) result { return p.sellOut(b, false) }

// sellOut marks codes (un)sold. Codes the store does not sell fail; the
// reply lists them (partial success), or is null when every code succeeded,
// as the documents' response text says.
func (p *Platform) sellOut(b *body, out bool) result {
	storeID := b.str("storeId")
	if storeID == "" {
		return missing("storeId")
	}
	if !p.knowsStore(storeID) {
		return refused("门店不存在")
	}
	var codes []string
	if v, present := b.fields["customerCodes"]; present && json.Unmarshal(v, &codes) != nil {
		return missing("customerCodes (字符串数组)")
	}
	if len(codes) == 0 {
		return missing("customerCodes")
	}
	channel := b.str("channelId")
	if channel != "" && !slices.Contains(kaigedian.SellChannels, channel) {
		return result{code: kaigedian.CodeMissingParam, message: "channelId参数错误: " + channel}
	}
	known := p.products
	key := soldOutKey(storeID, channel)
	var failed []string
	for _, c := range codes {
		if _, sells := known[c]; !sells {
			failed = append(failed, c)
			continue
		}
		if p.soldOut[key] == nil {
			p.soldOut[key] = map[string]bool{}
		}
		if out {
			p.soldOut[key][c] = true
		} else {
			delete(p.soldOut[key], c)
		}
	}
	if len(failed) == 0 {
		return result{code: kaigedian.CodeSuccess, message: "成功"} // responseBody null
	}
	return result{code: kaigedian.CodeSuccess, message: "成功", body: failed}
}

// SoldOut lists a store's sold-out codes in channel ("" = the default).
func (p *Platform) SoldOut(storeID, channel string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for c := range p.soldOut[soldOutKey(storeID, channel)] {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// isSoldOut reports whether the generator must leave code out of new
// orders of a store; called with p.mu held.
func (p *Platform) isSoldOut(storeID, code string) bool {
	for _, ch := range append([]string{""}, kaigedian.SellChannels...) {
		if p.soldOut[soldOutKey(storeID, ch)][code] {
			return true
		}
	}
	return false
}

// StoreStatus is a store's state on the platform.
type StoreStatus struct {
	Open     bool // 营业 (after 1) or 停业 (after 2)
	Resting  bool // 置休 (after 3, until 4)
	Operator string
	Events   []int
}

func (p *Platform) handleSetStoreStatus(b *body, _ string) result {
	storeID := b.str("storeId")
	switch {
	case storeID == "":
		return missing("storeId")
	case b.str("operator") == "":
		return missing("operator")
	}
	event, okEvent := b.int("storeEvent")
	if !okEvent {
		return missing("storeEvent")
	}
	if !p.knowsStore(storeID) {
		return refused("门店不存在")
	}
	st := p.storeStatus[storeID]
	if st == nil {
		st = &StoreStatus{Open: true}
		p.storeStatus[storeID] = st
	}
	switch kaigedian.StoreEvent(event) {
	case kaigedian.StoreOpen:
		st.Open, st.Resting = true, false
	case kaigedian.StoreClose:
		st.Open, st.Resting = false, false
	case kaigedian.StoreRest:
		if !st.Open {
			return refused("门店已停业，不能置休")
		}
		st.Resting = true
	case kaigedian.StoreReopen:
		st.Resting = false
		st.Open = true
	default:
		return result{code: kaigedian.CodeMissingParam, message: "storeEvent参数错误"}
	}
	st.Operator = b.str("operator")
	st.Events = append(st.Events, int(event))
	return result{code: kaigedian.CodeSuccess, message: "成功"}
}

// StoreStatusOf returns a store's status; a store never changed is open.
func (p *Platform) StoreStatusOf(storeID string) StoreStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.storeStatus[storeID]; st != nil {
		c := *st
		c.Events = slices.Clone(st.Events)
		return c
	}
	return StoreStatus{Open: true}
}

// takesOrders reports whether the generator may create orders for a store;
// called with p.mu held.
func (p *Platform) takesOrders(storeID string) bool {
	st := p.storeStatus[storeID]
	return st == nil || (st.Open && !st.Resting)
}

// knowsStore reports whether the platform serves store id.
func (p *Platform) knowsStore(id string) bool {
	return slices.ContainsFunc(p.stores, func(s Store) bool { return s.ID == id })
}

// open reports whether customers can order from store id ("" = any store).
func (p *Platform) open(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id != "" {
		return p.takesOrders(id)
	}
	return slices.ContainsFunc(p.stores, func(s Store) bool { return p.takesOrders(s.ID) })
}

// PartialRefund refunds part of an order, as the 开个店 back office does:
// the order's payStatus becomes 4 (部分退款) and it counts as updated, so
// batchQuery lists it. No document shows a push for it, so none is sent.
func (p *Platform) PartialRefund(code string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	fo, ok := p.orders[code]
	if !ok {
		return fmt.Errorf("fake: no order %s", code)
	}
	fo.o.PayStatus = kaigedian.PayStatusPartlyRefunded
	p.touch(fo)
	return nil
}
