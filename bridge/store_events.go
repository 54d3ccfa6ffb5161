package bridge

import "strconv"

// StoreEvent is a change of a store's status staff ask for. Its numbers
// are what store_status rows keep (the ones 开个店 documents, so rows
// written before this type existed read the same); the channel that makes
// the call names the event by its word.
type StoreEvent int

// The store events: 营业, 停业, 置休, 开启 (the end of a rest).
const (
	StoreOpen   StoreEvent = 1
	StoreClose  StoreEvent = 2
	StoreRest   StoreEvent = 3
	StoreReopen StoreEvent = 4
)

// StoreEvents maps the CLI's and the console's words to events.
var StoreEvents = map[string]StoreEvent{"open": StoreOpen, "close": StoreClose, "rest": StoreRest, "reopen": StoreReopen}

// Word is the word of e ("" when unknown).
func (e StoreEvent) Word() string {
	for w, v := range StoreEvents {
		if v == e {
			return w
		}
	}
	return ""
}

// Label is what staff see.
func (e StoreEvent) Label() string {
	switch e {
	case StoreOpen:
		return "营业"
	case StoreClose:
		return "停业"
	case StoreRest:
		return "置休"
	case StoreReopen:
		return "开启（结束置休）"
	}
	return "未知门店状态 " + strconv.Itoa(int(e))
}

// pauses reports whether e stops a store taking orders (置休, 停业).
func (e StoreEvent) pauses() bool { return e == StoreRest || e == StoreClose }
