package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/posbridge/posbridge/order"
)

// The status sets of the queries, as SQL lists built from order's sets
// (one place decides what is open or terminal). The values are constants
// of our own, so they are written into the SQL rather than bound.
var (
	openStatusList     = sqlStatusList(order.OpenStatuses)
	terminalStatusList = sqlStatusList(order.TerminalStatuses)
	endedStatusList    = sqlStatusList(order.EndedStatuses)
)

func sqlStatusList(set []order.Status) string {
	quoted := make([]string, len(set))
	for i, s := range set {
		quoted[i] = "'" + strings.ReplaceAll(string(s), "'", "''") + "'"
	}
	return strings.Join(quoted, ",")
}

// ErrCodeTaken is returned when an order's code is already another
// source's: codes are the rows' key, so a channel minting codes must keep
// them apart from every other source's.
var ErrCodeTaken = errors.New("store: order code already belongs to another source")

// codeFree checks that rec's code is not another source's order.
func (tx *Tx) codeFree(rec *OrderRecord) error {
	var have string
	err := tx.queryRow(`SELECT source FROM orders WHERE code = ?`, rec.Code).Scan(&have)
	if err != nil {
		return nil // not there yet (or unreadable: the insert then says why)
	}
	if want := rec.Source.Or(order.SourceKaigedian); order.Source(have) != want {
		return fmt.Errorf("%w: %s is %s's, not %s's", ErrCodeTaken, rec.Code, have, want)
	}
	return nil
}
