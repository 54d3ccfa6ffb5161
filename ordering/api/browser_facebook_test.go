package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/ordering/provider/facebook"
	fbfake "github.com/posbridge/posbridge/ordering/provider/facebook/fake"
)

// Facebook's redirect login in a phone's browser (no SDK from a CDN):
// Facebook 登录 opens the login dialog (the fake checks the app id, the
// redirect and response_type=token), which comes back with the user token
// in the fragment; the page checks the state, debug-token checks the token
// at the Graph API and logs in, the token leaves the URL. A fragment with
// another state logs nobody in.
func TestPhoneFacebookRedirectLogin(t *testing.T) {
	fb, err := fbfake.Start("127.0.0.1:0", fbfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fb.Close() })
	fc, err := facebook.New(facebook.Config{AppID: fb.AppID(), AppSecret: fb.AppSecret(), GraphBaseURL: fb.URL(), DialogBaseURL: fb.URL()}, facebook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := sandboxPayRig(t, func(o *Options) {
		oauth, err := o.Customers.NewOAuth(nil, fc, o.Now)
		if err != nil {
			t.Fatal(err)
		}
		o.OAuth = oauth
	})
	p := newPhone(t)
	toDelivery := func() {
		p.wait("menu", `document.querySelectorAll('.item').length === 6`, 10*time.Second)
		p.click(`.item[data-product="105"] button.add`)
		p.wait("options", `!document.getElementById('sheet').hidden`, 3*time.Second)
		p.click("#sheet-add")
		p.click("#go")
		p.wait("the eat type choice", `!document.getElementById('eat-row').hidden`, 5*time.Second)
		p.do(chromedp.Evaluate[chromedp.Void](`(s => { s.value = '1'; s.dispatchEvent(new Event('change')); })(document.getElementById('eat'))`))
	}

	// a fragment the page did not ask for: no login
	p.do(chromedp.Navigate(r.http.URL + "/?rid=1&tid=-1&ver=1&fb=1#access_token=" + fb.Issue(fbfake.Token{UserID: "10158000000000009"}) + "&state=forged"))
	toDelivery()
	p.wait("refused", `document.getElementById('login-error').textContent.includes('Facebook 登录失败') && !document.getElementById('login-box').hidden &&
		!localStorage.getItem('pb-login-1') && location.hash === ''`, 10*time.Second)
	if n := fb.Calls("debug_token"); n != 0 {
		t.Fatalf("a forged state reached debug_token (%d calls)", n)
	}
	p.wait("Facebook 登录", `!document.getElementById('login-fb').hidden && document.getElementById('login-wx').hidden`, 5*time.Second)
	p.shot("26-facebook-login")
	p.click("#login-fb")
	p.wait("logged in", `!!localStorage.getItem('pb-login-1') && location.hash === '' && !new URLSearchParams(location.search).get('fb') && document.querySelectorAll('.item').length === 6`, 10*time.Second)
	if fb.Calls("dialog") != 1 || fb.Calls("debug_token") != 1 {
		t.Fatalf("dialog %d, debug_token %d calls", fb.Calls("dialog"), fb.Calls("debug_token"))
	}
	tok := evalJS[string](p, `localStorage.getItem('pb-login-1')`)
	me := r.want(r.do("GET", prefix+"users/me", "", "Authorization", "Bearer "+tok), 200).body
	ids, err := r.db.CustomerIdentities(context.Background(), mustInt(t, num(me["id"])))
	if err != nil || len(ids) != 1 || ids[0].Provider != "facebook" || !strings.HasSuffix(ids[0].Subject, fbfake.DialogUser.UserID) {
		t.Fatalf("the Facebook identity: %+v %v", ids, err)
	}
	// no phone yet: the bind-phone step comes before the address book
	toDelivery()
	p.wait("bind-phone step", `!document.getElementById('bind-box').hidden && document.getElementById('address-box').hidden && document.getElementById('login-box').hidden`, 5*time.Second)
	if e := p.jsErrors(); e != "" {
		t.Fatal(e)
	}
}
