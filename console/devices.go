package console

import (
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/posbridge/posbridge/bridge"
)

// routeDevices adds the staff's device management and the screens' pairing.
func (s *Server) routeDevices(mux *routeMux) {
	mux.HandleFunc("GET /api/devices", s.staffOnly(s.listDevices))
	mux.HandleFunc("POST /api/devices", s.staffOnly(s.createDevice))
	mux.HandleFunc("POST /api/devices/{id}/pair", s.staffOnly(s.repairDevice))
	mux.HandleFunc("POST /api/devices/{id}/revoke", s.staffOnly(s.revokeDevice))
	mux.HandleFunc("GET /pair", s.pairPage)
	mux.HandleFunc("GET /pair/{code}", s.pairPage)
	mux.HandleFunc("GET /api/screen/session", s.screenSession)
}

// staffOnly refuses paired screens (their scope keeps them out already:
// this says so again where a mistake would hand out screens).
func (s *Server) staffOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if authOf(r).kind == authDevice {
			writeError(w, http.StatusForbidden, "屏幕不能管理屏幕")
			return
		}
		h(w, r)
	}
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) {
	ds, err := s.Bridge.Devices(r.Context(), r.URL.Query().Get("all") == "1")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	stations := []map[string]any{}
	for _, st := range s.Config.KitchenStations() {
		stations = append(stations, map[string]any{"name": st.Name, "printer": st.Printer})
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": viewOfDevices(ds), "stations": stations, "pair_bases": s.pairBases(r)})
}

type deviceBody struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Station string `json:"station"`
}

func (s *Server) createDevice(w http.ResponseWriter, r *http.Request) {
	var body deviceBody
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	v, err := s.Bridge.CreateDevice(r.Context(), body.Name, body.Kind, body.Station, actorOf(r))
	if err != nil {
		writeBridgeError(w, err)
		return
	}
	s.log().Info("screen created", "device", v.ID, "name", v.Name, "kind", v.Kind, "station", v.Station, "by", actorOf(r))
	writeJSON(w, http.StatusCreated, s.withPairLinks(r, v))
}

func (s *Server) repairDevice(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return
	}
	v, err := s.Bridge.RepairDevice(r.Context(), id)
	if bridge.ErrorCode(err) == bridge.ENotFound {
		writeError(w, http.StatusNotFound, "没有这块屏幕（或已撤销）")
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, s.withPairLinks(r, v))
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return
	}
	err = s.Bridge.RevokeDevice(r.Context(), id, actorOf(r))
	if bridge.ErrorCode(err) == bridge.ENotFound {
		writeError(w, http.StatusNotFound, "没有这块屏幕（或已撤销）")
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "revoked": true})
}

// pairLinks is a new pairing code with the links a screen opens and a QR
// code of the first (a tablet scans it with its camera; a TV types it).
type pairLinks struct {
	deviceView
	PairURLs []string `json:"pair_urls"`
	PairQR   string   `json:"pair_qr,omitempty"` // data: URL of a PNG
	Warning  string   `json:"warning,omitempty"`
}

func (s *Server) withPairLinks(r *http.Request, v bridge.DeviceView) pairLinks {
	out := pairLinks{deviceView: deviceView(v), PairURLs: []string{}}
	for _, base := range s.pairBases(r) {
		out.PairURLs = append(out.PairURLs, base+"/pair/"+v.PairCode)
	}
	if len(out.PairURLs) == 0 {
		out.Warning = "控制台只在本机监听（console.listen 为 " + s.Config.Console.Listen + "），其他设备连不上：" +
			"请把 console.listen 改为 0.0.0.0:8686、设置 console.pin（店员平板用；屏幕不用输入）后重启服务，再生成配对链接"
		return out
	}
	if png, err := qrcode.Encode(out.PairURLs[0], qrcode.Medium, 256); err == nil {
		out.PairQR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	}
	return out
}

// pairBases are the addresses a screen on the LAN can reach the console
// at: the one the staff's browser used when that is not loopback, else the
// listen address, else (listening on every interface) the PC's own LAN
// addresses.
func (s *Server) pairBases(r *http.Request) []string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := requestHost(r)
	if ip := net.ParseIP(host); (ip != nil && !ip.IsLoopback()) || (ip == nil && host != "localhost" && host != "") {
		return []string{scheme + "://" + r.Host}
	}
	lh, port, err := net.SplitHostPort(s.Config.Console.Listen)
	if err != nil {
		return nil
	}
	// The port this request came in on is the one being served (the
	// config may say :0).
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil {
			port = p
		}
	}
	ip := net.ParseIP(lh)
	if lh != "" && (ip == nil || !ip.IsUnspecified()) {
		if (ip != nil && ip.IsLoopback()) || lh == "localhost" {
			return nil
		}
		return []string{scheme + "://" + net.JoinHostPort(lh, port)}
	}
	var out []string
	for _, a := range lanAddrs() {
		out = append(out, scheme+"://"+net.JoinHostPort(a, port))
	}
	return out
}

// lanAddrs are the PC's private IPv4 addresses (what a tablet on the shop's
// Wi-Fi reaches).
var lanAddrs = func() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if v4 := n.IP.To4(); v4 != nil && v4.IsPrivate() {
				out = append(out, v4.String())
			}
		}
	}
	return out
}

var pairTemplate = template.Must(template.ParseFS(uiFiles, "ui/pair.html"))

// pairPage pairs a screen with its one-time code (/pair/CODE, or the form's
// /pair?code=CODE) and sends it to its page; without a code it shows the
// form. Guesses are limited per client like PIN tries.
func (s *Server) pairPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if code == "" {
		code = r.URL.Query().Get("code")
	}
	if code == "" {
		renderPair(w, http.StatusOK, "", "")
		return
	}
	ip := clientIP(r)
	attempt, wait := s.screenState().limiter.begin("pair|" + pinClientKey(ip))
	if attempt == nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		renderPair(w, http.StatusTooManyRequests, code, "配对码输错次数过多，请 "+waitText(wait)+"后再试")
		return
	}
	d, token, err := s.Bridge.PairDevice(r.Context(), code, ip.String())
	if err != nil {
		if errors.Is(err, bridge.ErrBadPairCode) {
			attempt.miss()
			s.log().Warn("screen pairing: wrong or expired code", "client", ip.String())
			renderPair(w, http.StatusUnauthorized, code, err.Error())
			return
		}
		attempt.abandon()
		renderPair(w, http.StatusInternalServerError, code, "配对失败："+err.Error())
		return
	}
	attempt.success()
	setDeviceCookie(w, r, token)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, screenPath(d), http.StatusSeeOther)
}

func renderPair(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	setPageHeaders(w)
	w.WriteHeader(status)
	if err := pairTemplate.Execute(w, map[string]string{"Code": code, "Error": msg}); err != nil {
		slog.Default().Error("render pairing page", "err", err)
	}
}

// screenSession tells a kitchen or pickup page who it is: a paired device
// (with its CSRF token) or staff.
func (s *Server) screenSession(w http.ResponseWriter, r *http.Request) {
	a := authOf(r)
	out := map[string]any{"auth": a.kind, "store": s.storeTitle()}
	if a.kind == authDevice && a.dev != nil {
		out["device"] = map[string]any{"id": a.dev.ID, "name": a.dev.Name, "kind": a.dev.Kind, "station": a.dev.Station}
		if c, err := r.Cookie(deviceCookie); err == nil {
			out["csrf"] = deviceCSRF(c.Value)
		}
	}
	if a.kind == authSession {
		out["csrf"] = s.guard().sessions.csrf(a.sess)
	}
	writeJSON(w, http.StatusOK, out)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
