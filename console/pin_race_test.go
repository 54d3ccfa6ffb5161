package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/config"
)

// Issue 13 item 3: the lockout holds under concurrency. A thousand guesses
// sent at once from one address get the same five checks as guesses sent
// one after another (each attempt is counted before bcrypt runs, one at a
// time per address), and then even the right PIN waits out the lock.
func TestPinLockoutHoldsUnderConcurrency(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte(lanPin), 9) // slow enough that guesses overlap
	if err != nil {
		t.Fatal(err)
	}
	g := newGuarded(t, config.ConsoleConfig{Listen: "0.0.0.0:8686", Pin: string(hash)}, "")
	const guesses = 1000
	codes := make([]int, guesses)
	compared := make([]bool, guesses)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range guesses {
		wg.Go(func() {
			<-start
			form := url.Values{"pin": {"0" + strings.Repeat("1", i%7+3)}}.Encode()
			r := httptest.NewRequest("POST", "/login", strings.NewReader(form))
			r.RemoteAddr = "192.168.1.66:4000"
			r.Host = "192.168.1.10:8686"
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			g.h.ServeHTTP(w, r)
			codes[i] = w.Code
			// "PIN 不正确" is the answer of a PIN that was compared.
			compared[i] = strings.Contains(w.Body.String(), "PIN 不正确")
		})
	}
	close(start)
	wg.Wait()
	checked := 0
	for i, c := range codes {
		if c != http.StatusUnauthorized && c != http.StatusTooManyRequests {
			t.Fatalf("a guess answered %d", c)
		}
		if compared[i] {
			checked++
		}
	}
	if checked > pinFreeTries {
		t.Fatalf("%d of %d guesses sent at once were compared with the PIN; at most %d may be", checked, guesses, pinFreeTries)
	}
	// Guessing on one at a time adds only what the free tries leave.
	for checked < pinFreeTries-1 {
		wantStatus(t, "a guess after the burst", g.login("192.168.1.66:4000", "0000"), http.StatusUnauthorized)
		checked++
	}
	if checked < pinFreeTries {
		wantStatus(t, "the fifth miss in all", g.login("192.168.1.66:4000", "0000"), http.StatusTooManyRequests)
	}
	wantStatus(t, "the right PIN after the burst", g.login("192.168.1.66:4000", lanPin), http.StatusTooManyRequests)
	wantStatus(t, "another tablet meanwhile", g.login("192.168.1.23:4000", lanPin), http.StatusSeeOther)
}

// A tablet whose session is valid is let through a login without a check.
func TestLoginWithAValidSessionNeedsNoCheck(t *testing.T) {
	g := lanConsole(t)
	c := sessionCookieOf(t, g.login("192.168.1.23:5000", lanPin))
	for range pinFreeTries + 1 {
		g.login("192.168.1.23:5000", "0000")
	}
	w := g.do(req{method: "POST", path: "/login", remote: "192.168.1.23:5000", cookies: []*http.Cookie{c},
		body: url.Values{"pin": {""}}.Encode(), header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	wantStatus(t, "login with a valid session while the address is locked", w, http.StatusSeeOther)
}
