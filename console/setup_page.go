package console

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/rsakeys"
)

// The first-run setup page (/setup): in setup mode (live mode without
// 开个店 credentials, as the packages install) the installer enters the
// stores, the printers (with discovery), a staff PIN and last the platform
// credentials, each step written to the settings layer; with the
// credentials the daemon leaves setup mode without a restart.

func (s *Server) routeSetup(mux *routeMux) {
	mux.HandleFunc("GET /setup", serveSetupPage)
	mux.HandleFunc("GET /api/setup", s.getSetup)
	mux.HandleFunc("PUT /api/setup/stores", s.putSetupStores)
	mux.HandleFunc("PUT /api/setup/pin", s.putSetupPIN)
	mux.HandleFunc("PUT /api/setup/platform", s.putSetupPlatform)
}

func serveSetupPage(w http.ResponseWriter, r *http.Request) {
	r.URL.Path = "/setup"
	serveUI(w, r)
}

// setupAllowed are the calls setup mode lets through: the setup steps and
// the printer settings they use.
func setupAllowed(path string) bool {
	for _, p := range []string{"/api/setup/", "/api/settings/", "/api/printers/discover", "/api/layouts/preview"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func (s *Server) getSetup(w http.ResponseWriter, r *http.Request) {
	c := s.current()
	p := c.Platform
	writeJSON(w, http.StatusOK, map[string]any{
		"setup":    c.SetupMode(),
		"editable": s.Settings != nil,
		"missing":  c.SetupMissing(),
		"stores":   c.Stores,
		"printers": len(c.Printers),
		"pin_set":  c.Console.Pin != "",
		"platform": map[string]any{"base_url": p.BaseURL, "partner_id": p.PartnerID, "app_id": p.AppID,
			"access_token_set": p.AccessToken != "", "private_key_file": p.PrivateKeyFile, "public_key_file": p.PublicKeyFile},
		"settings_file": config.SettingsPath(c.DataDir),
	})
}

func (s *Server) editable(w http.ResponseWriter) bool {
	if s.Settings == nil {
		writeError(w, http.StatusServiceUnavailable, "此模式下不能在控制台修改设置")
		return false
	}
	return true
}

func (s *Server) putSetupStores(w http.ResponseWriter, r *http.Request) {
	if !s.editable(w) {
		return
	}
	var body struct {
		Stores []config.StoreConfig `json:"stores"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var stores []config.StoreConfig
	for _, st := range body.Stores {
		st.ID, st.Name = strings.TrimSpace(st.ID), strings.TrimSpace(st.Name)
		if st.ID != "" || st.Name != "" {
			stores = append(stores, st)
		}
	}
	if len(stores) == 0 {
		writeError(w, http.StatusBadRequest, "请至少填写一个门店（开个店的门店编号和名称）")
		return
	}
	next, err := s.Settings.Apply(config.Edit{Key: "stores", Value: stores})
	if !s.settingsSaved(w, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"stores": next.Stores})
}

// putSetupPIN stores a bcrypt hash of the staff PIN, never the PIN.
func (s *Server) putSetupPIN(w http.ResponseWriter, r *http.Request) {
	if !s.editable(w) {
		return
	}
	var body struct {
		PIN string `json:"pin"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	pin := strings.TrimSpace(body.PIN)
	if n := utf8.RuneCountInString(pin); n < 4 || n > 32 {
		writeError(w, http.StatusBadRequest, "PIN 须为 4 到 32 个字符")
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pin), 10)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if _, err := s.Settings.Apply(config.Edit{Key: "console.pin", Value: string(hash)}); !s.settingsSaved(w, err) {
		return
	}
	s.log().Info("staff PIN set from the setup page")
	writeJSON(w, http.StatusOK, map[string]any{"pin_set": true})
}

// putSetupPlatform stores the 开个店 credentials: the keys as files in the
// data folder (not world-readable), the rest in the settings layer. With
// them the daemon leaves setup mode.
func (s *Server) putSetupPlatform(w http.ResponseWriter, r *http.Request) {
	if !s.editable(w) {
		return
	}
	var body struct {
		BaseURL     string `json:"base_url"`
		PartnerID   string `json:"partner_id"`
		AppID       string `json:"app_id"`
		AccessToken string `json:"access_token"`
		PrivateKey  string `json:"private_key"` // PEM or bare base64
		PublicKey   string `json:"public_key"`  // optional: checks push signatures
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if _, err := rsakeys.ParsePrivate([]byte(body.PrivateKey)); err != nil {
		writeError(w, http.StatusBadRequest, "商户私钥无法读取："+err.Error()+"（请粘贴开个店后台生成的 RSA 私钥，PEM 或 base64）")
		return
	}
	if strings.TrimSpace(body.PublicKey) != "" {
		if _, err := rsakeys.ParsePublic([]byte(body.PublicKey)); err != nil {
			writeError(w, http.StatusBadRequest, "平台公钥无法读取："+err.Error())
			return
		}
	}
	dir := filepath.Join(s.current().DataDir, "keys")
	private, public := filepath.Join(dir, "kaigedian-private.pem"), ""
	written, err := writeKeyFile(private, body.PrivateKey)
	if err == nil && strings.TrimSpace(body.PublicKey) != "" {
		public = filepath.Join(dir, "kaigedian-public.pem")
		var w2 []string
		w2, err = writeKeyFile(public, body.PublicKey)
		written = append(written, w2...)
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "保存密钥文件失败："+err.Error())
		return
	}
	_, err = s.Settings.Apply(
		config.Edit{Key: "platform.base_url", Value: strings.TrimSpace(body.BaseURL)},
		config.Edit{Key: "platform.partner_id", Value: strings.TrimSpace(body.PartnerID)},
		config.Edit{Key: "platform.app_id", Value: strings.TrimSpace(body.AppID)},
		config.Edit{Key: "platform.access_token", Value: strings.TrimSpace(body.AccessToken)},
		config.Edit{Key: "platform.private_key_file", Value: private},
		config.Edit{Key: "platform.public_key_file", Value: public},
	)
	if err != nil {
		var ee *config.EditError
		if errors.As(err, &ee) {
			for _, f := range written {
				_ = os.Remove(f)
			}
		}
		s.settingsSaved(w, err)
		return
	}
	s.log().Info("开个店 credentials set from the setup page", "partner_id", strings.TrimSpace(body.PartnerID))
	writeJSON(w, http.StatusOK, map[string]any{"saved": true})
}

// writeKeyFile writes a key readable by this account only; it returns the
// file when it was created (to remove it if the edit is refused).
func writeKeyFile(path, pem string) ([]string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	if err := config.WriteFileAtomic(path, []byte(strings.TrimSpace(pem)+"\n"), 0o600); err != nil {
		return nil, err
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		return []string{path}, nil
	}
	return nil, nil
}
