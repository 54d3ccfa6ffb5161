package transport

import "strings"

// Explain turns a transport error (English, from the OS) into one Chinese
// sentence that tells staff what to check. The raw text stays in the logs
// and the job's last_error for the installer.
func Explain(errText string) string {
	e := strings.ToLower(errText)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(e, s) {
				return true
			}
		}
		return false
	}
	switch {
	case e == "":
		return ""
	case has("paper out", "缺纸"):
		return "打印机缺纸：请装纸"
	case has("cover open", "纸仓盖"):
		return "打印机纸仓盖打开：请合上"
	case has("connection refused", "actively refused"):
		return "打印机拒绝连接：请确认打印机已开机、IP 地址和端口（通常 9100）正确"
	case has("no route to host", "network is unreachable", "host is down", "unreachable network"):
		return "网络不通：请检查打印机网线和路由器，确认打印机 IP 与电脑在同一网段"
	case has("i/o timeout", "deadline exceeded", "timed out", "timeout", "did not answer", "no answer"):
		return "打印机无响应：请检查电源、网线或数据线，必要时重启打印机"
	case has("connection reset", "broken pipe", "forcibly closed", "eof"):
		return "打印中连接断开：请检查网线或数据线，单据会自动补打"
	case has("permission denied", "access is denied", "operation not permitted"):
		return "没有权限访问打印机设备：安装时请把服务用户加入 lp / dialout 组，或以管理员身份检查驱动"
	case has("no such file", "cannot find", "not found", "no such device", "does not exist"):
		return "找不到打印机设备：请检查 USB 或串口线是否插好，设备名是否与配置一致"
	case has("device or resource busy", "busy"):
		return "打印机端口被其他程序占用：请关闭其他打印软件"
	case has("no space left", "disk full", "database is full"):
		return "电脑磁盘已满：请清理数据盘空间"
	}
	return "打印机通信失败：请检查打印机电源和连线"
}
