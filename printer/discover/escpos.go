package discover

// The one question discovery asks: DLE EOT 1, real-time printer status. An
// ESC/POS printer answers at once, ahead of queued data and even when
// offline, and prints nothing (spec §7.1).
var dleEOT1 = []byte{0x10, 0x04, 0x01}

// isDLEEOTReply reports whether b has the pattern of a DLE EOT reply,
// 0xx1xx10. (printer/ has the same check; this package stays independent.)
func isDLEEOTReply(b byte) bool { return b&0x93 == 0x12 }

// Reply says whether and how a device answered the status question.
type Reply string

const (
	NotAsked Reply = "not_asked" // probing was off, or the device was skipped or could not be opened
	Answered Reply = "answered"  // a valid DLE EOT reply came back: two-way ESC/POS
	Silent   Reply = "silent"    // asked; nothing valid came back in time
	OneWay   Reply = "one_way"   // cannot be asked (the Windows spooler); state unknown
)

// Status is what the device said about itself.
type Status struct {
	Reply Reply `json:"reply"`
	// Byte is the DLE EOT 1 reply when Reply is Answered.
	Byte byte `json:"byte,omitempty"`
	// Offline: bit 3 of the reply (cover open, paper out or an error stop
	// the printer; DLE EOT 2 and 4 say which).
	Offline bool `json:"offline,omitempty"`
}

func answered(b byte) Status {
	return Status{Reply: Answered, Byte: b, Offline: b&0x08 != 0}
}

// Label is the state in Simplified Chinese for the console.
func (s Status) Label() string {
	switch s.Reply {
	case Answered:
		if s.Offline {
			return "已应答：离线（检查纸张和纸仓盖）"
		}
		return "已应答：在线"
	case Silent:
		return "未应答状态查询：单向连接或非 ESC/POS 打印机，状态未知"
	case OneWay:
		return "单向连接：状态未知"
	}
	return "未查询"
}
