package console

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/bridge"
)

// authDevice is a paired screen (kitchen tablet, pickup TV) on the LAN: it
// carries a long-lived token scoped to its screen, and needs no PIN.
const authDevice authKind = "device"

// deviceCookie holds a paired screen's token. HttpOnly and SameSite=Strict
// like the PIN session; it lives for years (a TV is paired once) and ends
// when staff revoke the device.
const (
	deviceCookie    = "posbridge_screen"
	deviceCookieTTL = 5 * 365 * 24 * time.Hour
	// deviceTouchEvery throttles the device's last-seen write.
	deviceTouchEvery = time.Minute
)

// screenState is the console's memory of paired screens.
type screenState struct {
	once    sync.Once
	limiter *pinLimiter // pairing-code guesses, apart from PIN guesses

	mu      sync.Mutex
	touched map[int64]time.Time
}

func (s *Server) screenState() *screenState {
	st := &s.screens
	st.once.Do(func() {
		st.limiter = newPinLimiter(s.now)
		st.touched = map[int64]time.Time{}
	})
	return st
}

// deviceFromRequest finds the live device whose token the request carries.
func (s *Server) deviceFromRequest(r *http.Request) (*bridge.Device, string, bool) {
	c, err := r.Cookie(deviceCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, "", false
	}
	d, err := s.Bridge.DeviceByToken(r.Context(), c.Value)
	if err != nil {
		return nil, "", false
	}
	return d, c.Value, true
}

// deviceCSRF is the CSRF token of a device's token: the page reads it from
// /api/screen/session and sends it with every tap.
func deviceCSRF(token string) string {
	return bridge.SecretHash("csrf:" + token)[:32]
}

// deviceMayUse is a device's scope: its own screen, its data and the live
// events; nothing of the staff console.
func deviceMayUse(d *bridge.Device, r *http.Request) bool {
	p := r.URL.Path
	if safeMethod(r.Method) {
		switch {
		case p == "/api/screen/session" || p == "/api/events" || p == "/api/health" || strings.HasPrefix(p, "/assets/") || p == "/favicon.ico",
			p == "/pair" || strings.HasPrefix(p, "/pair/"): // a screen paired again (a TV moved to another use)
			return true
		case d.Kind == bridge.DeviceKitchen:
			return (p == "/kitchen" || p == "/api/kitchen") && r.URL.Query().Get("station") == d.Station
		case d.Kind == bridge.DevicePickup:
			return p == "/pickup" || p == "/api/pickup"
		}
		return false
	}
	if r.Method == http.MethodPost && d.Kind == bridge.DeviceKitchen && strings.HasPrefix(p, "/api/kitchen/") {
		return r.URL.Query().Get("station") == d.Station
	}
	return false
}

// serveDevice lets a paired screen in within its scope.
func (s *Server) serveDevice(w http.ResponseWriter, r *http.Request, h http.Handler, d *bridge.Device, token string) {
	if !deviceMayUse(d, r) {
		refuse(w, r, http.StatusForbidden, "这块屏幕只能打开它自己的页面（"+screenPath(d)+"）；要用控制台请输入门店 PIN")
		return
	}
	if !safeMethod(r.Method) && subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(deviceCSRF(token))) != 1 {
		refuse(w, r, http.StatusForbidden, "页面已过期，请刷新页面后重试")
		return
	}
	s.touchDevice(r, d)
	h.ServeHTTP(w, withAuth(r, authInfo{kind: authDevice, dev: d}))
}

// touchDevice writes the device's last-seen time at most once a minute.
func (s *Server) touchDevice(r *http.Request, d *bridge.Device) {
	st := s.screenState()
	now := s.now()
	st.mu.Lock()
	last, ok := st.touched[d.ID]
	due := !ok || now.Sub(last) >= deviceTouchEvery || now.Before(last)
	if due {
		st.touched[d.ID] = now
	}
	st.mu.Unlock()
	if due {
		if err := s.Bridge.TouchDevice(r.Context(), d.ID, clientIP(r).String()); err != nil {
			s.log().Warn("note a screen's visit", "device", d.ID, "err", err)
		}
	}
}

// screenPath is where a device's screen is.
func screenPath(d *bridge.Device) string {
	if d.Kind == bridge.DeviceKitchen {
		return "/kitchen?station=" + urlQueryEscape(d.Station)
	}
	if d.Station != "" {
		return "/pickup?store=" + urlQueryEscape(d.Station)
	}
	return "/pickup"
}

func setDeviceCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: token, Path: "/", MaxAge: int(deviceCookieTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// screenEvent is what a paired screen is told of an event: that an order
// changed, never the messages and data meant for staff. ok is false for
// events a screen has no use for.
func screenEvent(e bridge.Event) (bridge.Event, bool) {
	switch e.Type {
	case bridge.EvOrder, bridge.EvDecision, bridge.EvKitchen, bridge.EvScan:
		return bridge.Event{ID: e.ID, Type: e.Type, Time: e.Time, Code: e.Code, Status: e.Status, Kind: screenKind(e)}, true
	}
	return bridge.Event{}, false
}

// screenKind keeps the station of kitchen events; the scan's kind (its
// input) and the others are staff matters.
func screenKind(e bridge.Event) string {
	if e.Type == bridge.EvKitchen {
		return e.Kind
	}
	return ""
}

// deviceStillPaired re-reads the stream's device: a revoked screen's open
// stream ends at the next ping.
func (s *Server) deviceStillPaired(r *http.Request) bool {
	_, _, ok := s.deviceFromRequest(r)
	return ok
}

// isScreenPage is a kitchen or pickup page: a browser there that is not let
// in is a screen to pair, not a person to log in.
func isScreenPage(r *http.Request) bool {
	return safeMethod(r.Method) && (r.URL.Path == "/kitchen" || r.URL.Path == "/pickup")
}
