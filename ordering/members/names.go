package members

import "github.com/posbridge/posbridge/store"

// The ledger's rows and accounts by their names here, so that the console
// reads a card's ledger without the store.
type Entry = store.MemberEntry

// The two accounts of a card.
const (
	AccountBalance = store.AccountBalance // fen
	AccountPoints  = store.AccountPoints
)

// ErrCardExists: the customer already has a card here, or the card id is taken.
var ErrCardExists = store.ErrMemberCardExists

// ErrDepositRefunded: the top-up was refunded already.
var ErrDepositRefunded = store.ErrDepositRefunded
