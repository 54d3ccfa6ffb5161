package channel

import (
	"testing"

	"github.com/posbridge/posbridge/bridge"
)

// store_status rows keep bridge's event numbers, written before bridge had
// its own and read back as 开个店's: they must stay the documented ones.
func TestStoreEventsAreThePlatformsNumbers(t *testing.T) {
	if len(bridge.StoreEvents) != 4 {
		t.Fatalf("bridge knows %d store events, 开个店 documents 4", len(bridge.StoreEvents))
	}
	for word, ev := range bridge.StoreEvents {
		k, ok := storeEventOf(word)
		if !ok || !k.Valid() || int(k) != int(ev) {
			t.Errorf("%s: bridge %d %s, 开个店 %d (%v)", word, ev, ev.Label(), k, ok)
		}
	}
	if _, ok := storeEventOf("pause"); ok {
		t.Error("an unknown word became a store event")
	}
}
