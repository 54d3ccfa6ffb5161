package console

import (
	"net/http"
	"strings"
)

// setupNotice is what the console says in setup mode (live mode before any
// 开个店 credential was set), in the page's banner and to a refused action.
func (s *Server) setupNotice() map[string]any {
	file := s.Config.File
	if file == "" {
		file = "配置文件"
	}
	missing := s.Config.SetupMissing()
	return map[string]any{
		"missing": missing,
		"file":    s.Config.File,
		"message": "设置模式：尚未填写开个店平台凭证，本机只运行控制台，不接单、不调用平台、不打印。请打开设置向导 /setup 填写门店、打印机、PIN 和平台凭证，或在 " + file + " 中填写 " +
			strings.Join(missing, "、") + "（由开个店提供），然后重启 posbridge；`posbridge doctor` 会列出缺少的项。",
		"page": "/setup",
	}
}

// setupGuard refuses every state-changing API call in setup mode: there is
// no platform to tell and no printer to print on. Reading and logging in work.
func (s *Server) setupGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Config.SetupMode() && r.Method != http.MethodGet && r.Method != http.MethodHead && strings.HasPrefix(r.URL.Path, "/api/") &&
			!(s.Settings != nil && setupAllowed(r.URL.Path)) {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": s.setupNotice()["message"], "setup": true})
			return
		}
		next.ServeHTTP(w, r)
	})
}
