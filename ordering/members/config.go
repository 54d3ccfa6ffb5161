// Package members is the store's own member ledger (seed 002 §11–14): cards
// per restaurant, their balance and points as ledger rows in the store's
// database, levels with a member discount, points earned per yuan, top-up
// price lists. The store PC is the system of record: there is no outside CRM.
// Money is integer fen; the seed's yuan strings are converted at the edge.
package members

import "github.com/posbridge/posbridge/ordering/members/rules"

// The rules of the config file, by their names here.
type (
	Config     = rules.Config
	Level      = rules.Level
	Points     = rules.Points
	TopUp      = rules.TopUp
	PriceEntry = rules.PriceEntry
)

// DefaultConfig: one level without a discount, a point a yuan, no top-ups.
func DefaultConfig() Config { return rules.DefaultConfig() }
