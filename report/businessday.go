// Package report computes the store's figures for a business day (日结) or a
// staff shift (交班) from the stored orders: revenue, discounts, fees,
// refunds, by source, channel and store, an item ranking and an hourly
// chart, in integer fen. It renders them as JSON, CSV and a printed slip.
package report

import (
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/storeday"
)

// DayRule says when a store's business day begins: at Start after local
// midnight in Zone (a tea shop open until 02:00 still counts those sales in
// the day before). It is storeday's rule: every part of posbridge counts
// days alike.
type DayRule = storeday.Rule

// DefaultDayStart is when a business day begins unless the store says otherwise.
const DefaultDayStart = storeday.DefaultDayStart

// RuleFor is the day rule of a store: its stores[].timezone and
// stores[].day_start (Asia/Shanghai from 04:00 unless set).
func RuleFor(cfg *config.Config, storeID string) DayRule {
	return cfg.StoreDay(storeID)
}
