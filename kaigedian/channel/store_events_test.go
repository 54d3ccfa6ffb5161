package channel

import (
	"testing"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
)

// store_status rows keep bridge's event numbers, written before bridge had
// its own and read back as 开个店's: they must stay the documented ones.
func TestStoreEventsAreThePlatformsNumbers(t *testing.T) {
	if len(bridge.StoreEvents) != len(kaigedian.StoreEvents) {
		t.Fatalf("bridge knows %d store events, 开个店 %d", len(bridge.StoreEvents), len(kaigedian.StoreEvents))
	}
	for word, ev := range bridge.StoreEvents {
		k, ok := kaigedian.StoreEvents[word]
		if !ok || int(k) != int(ev) || k.Label() != ev.Label() {
			t.Errorf("%s: bridge %d %s, 开个店 %d %s", word, ev, ev.Label(), k, k.Label())
		}
	}
}
