package order

// Source is the channel an order came from. An order is known by its
// source and its code.
type Source string

const (
	// SourceKaigedian is the 开个店 (非码) open platform: pushes and polling.
	SourceKaigedian Source = "kaigedian"
	// SourceOrdering is the store's own scan-to-order channel (seed 002).
	SourceOrdering Source = "ordering"
)

// Or is s, or def when s is empty (rows and changes written before
// sources existed are 开个店's).
func (s Source) Or(def Source) Source {
	if s == "" {
		return def
	}
	return s
}

// Label is the Chinese name of the source shown to staff.
func (s Source) Label() string {
	switch s {
	case SourceKaigedian, "":
		return "开个店"
	case SourceOrdering:
		return "扫码点餐"
	}
	return string(s)
}
