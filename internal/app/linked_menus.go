package app

import (
	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/ordering/service"
)

// The scan-to-order channel is bridge's linked menus: 开个店's 沽清 sells
// out its products with the same customer code, 置休 and 停业 pause it.
var _ bridge.LinkedMenus = (*service.Channel)(nil)

// linkMenus links 沽清 and the store status to the scan-to-order menus
// (nothing when ordering is off).
func (s *scanToOrder) linkMenus(b *bridge.Bridge) {
	if s.svc != nil {
		b.SetLinkedMenus(s.svc)
	}
}
