package discover

// Problem says why a device could not be opened or asked, and what to do.
type Problem struct {
	Code   ProblemCode `json:"code"`
	Detail string      `json:"detail"` // English, with the fix
}

// ProblemCode sorts problems for the console.
type ProblemCode string

const (
	ProblemSkipped    ProblemCode = "skipped"    // in use by posbridge itself (scanner, a configured printer)
	ProblemPermission ProblemCode = "permission" // the service account may not open it
	ProblemBusy       ProblemCode = "busy"       // another program holds it
	ProblemOpen       ProblemCode = "open"       // any other failure to open
	ProblemNoDeadline ProblemCode = "no_timeout" // cannot be asked without risking a hang
	ProblemChatter    ProblemCode = "chatter"    // it sent data nobody asked for: not a printer
	ProblemLanguage   ProblemCode = "language"   // not ESC/POS (a TSPL label printer): not asked
)

// Label is the problem in Simplified Chinese for the console.
func (p Problem) Label() string {
	switch p.Code {
	case ProblemSkipped:
		return "正在使用中（扫码枪或已添加的打印机），未打开"
	case ProblemPermission:
		return "没有权限打开此设备：把服务账户加入 lp 或 dialout 组"
	case ProblemBusy:
		return "设备被其他程序占用"
	case ProblemNoDeadline:
		return "无法限时查询，未发送状态查询"
	case ProblemChatter:
		return "该端口主动发送数据，不像打印机"
	case ProblemLanguage:
		return "标签打印机（非 ESC/POS），未发送状态查询"
	}
	return "无法打开设备"
}
