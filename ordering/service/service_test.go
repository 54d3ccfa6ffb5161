package service

import (
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/menu"
)

func TestSandboxMenuIsOpenAllDay(t *testing.T) {
	m, err := menu.Parse(SandboxMenu())
	if err != nil {
		t.Fatal(err)
	}
	if !m.Restaurant.Takeout.EatTypesEnable[menu.Delivery] || len(m.Restaurant.PaidTypes) != 2 || m.Restaurant.PaidTypes[1].Value != menu.PaidWeChat {
		t.Fatalf("the sandbox offers delivery and WeChat payment: %v %v", m.Restaurant.Takeout.EatTypesEnable, m.Restaurant.PaidTypes)
	}
	s := DefaultSchedule()
	for h := 0; h < 24; h++ {
		now := time.Date(2026, 12, 2, h, 30, 0, 0, s.Location)
		if err := s.Check(m, menu.WaitPickup, now); err != nil {
			t.Errorf("%02d:30: %v", h, err)
		}
	}
}
