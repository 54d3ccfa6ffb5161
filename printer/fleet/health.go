package fleet

import "github.com/posbridge/posbridge/printer/transport"

// Health reports whether a printer can print now, for the accept policy:
// an order is never accepted automatically into a kitchen that cannot see
// it. Printers whose link is one-way (spooler, USB device file, file) or whose
// status query is off count as online: nothing better is known about them.
func (f *Fleet) Health(name string) (ok bool, why string) {
	w, found := f.workers[name]
	if !found {
		return false, "未配置的打印机"
	}
	if !w.dev.Confirms() {
		// The spooler's offline or paper out is worth a staff prompt; its
		// silence proves nothing, and a bare one-way link knows nothing.
		if st := w.snapshot(); st.StatusFrom == StatusFromSpooler && st.State != transport.StateUnknown && !st.State.CanPrint() {
			return false, st.Label
		}
		return true, ""
	}
	if w.stuck(f.now()) {
		return false, "打印无响应（可能缺纸、卡纸或纸仓盖打开）"
	}
	st := w.snapshot()
	switch {
	case st.State.CanPrint():
		return true, ""
	case st.State == transport.StateUnknown && st.CheckedAt.IsZero():
		return true, "" // not asked yet (just started): do not hold orders for it
	}
	return false, st.Label
}
