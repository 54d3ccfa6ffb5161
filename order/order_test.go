package order

import "testing"

func TestFenString(t *testing.T) {
	cases := map[Fen]string{0: "￥0.00", 5: "￥0.05", 1250: "￥12.50", 100000: "￥1000.00", -150: "-￥1.50"}
	for in, want := range cases {
		if got := in.String(); got != want {
			t.Errorf("Fen(%d).String() = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	cases := map[string]string{
		"13612349227": "136****9227", "": "", "123": "****", "136****9227": "136****9227",
		"+8613612349227": "+86****9227",
	}
	for in, want := range cases {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
	o := Order{Mobile: "136-1234-9227"}
	if o.MobileLast4() != "9227" {
		t.Errorf("MobileLast4 = %q", o.MobileLast4())
	}
}

func TestStatusSets(t *testing.T) {
	seen := map[Status]int{}
	for _, s := range OpenStatuses {
		seen[s]++
		if s.Terminal() {
			t.Errorf("%s is open and terminal", s)
		}
	}
	for _, s := range TerminalStatuses {
		seen[s]++
	}
	for _, s := range AllStatuses {
		if seen[s] != 1 {
			t.Errorf("%s is in %d of the open and terminal sets", s, seen[s])
		}
		if s.Label() == string(s) {
			t.Errorf("%s has no label", s)
		}
	}
	for _, s := range EndedStatuses {
		if s == StatusCompleted || !s.Terminal() {
			t.Errorf("%s is not an end without completion", s)
		}
	}
}

func TestTypeKinds(t *testing.T) {
	for _, ty := range []Type{1, 2, 5, 6} {
		if !ty.IsDineInOrPickup() || ty.IsDelivery() {
			t.Errorf("type %d must be dine-in/pickup", ty)
		}
	}
	for _, ty := range []Type{3, 4} {
		if ty.IsDineInOrPickup() || !ty.IsDelivery() {
			t.Errorf("type %d must be delivery", ty)
		}
	}
}
