package loadtest

import "testing"

// 200 phones are 200 addresses of 127.0.0.0/8, none of them 127.0.0.1:
// the per-address limits see 200 clients.
func TestPhoneAddressesAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for i := range 1000 {
		ip := phoneAddr(i)
		if !ip.IsLoopback() || ip.String() == "127.0.0.1" || seen[ip.String()] {
			t.Fatalf("phone %d: %s", i, ip)
		}
		seen[ip.String()] = true
	}
}
