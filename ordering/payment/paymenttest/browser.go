package paymenttest

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	formRE   = regexp.MustCompile(`(?s)<form[^>]*?(?:action="([^"]*)")?[^>]*>(.*?)</form>`)
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	buttonRE = regexp.MustCompile(`<button id="([^"]+)" name="([^"]+)" value="([^"]*)">`)
)

// Click opens a pay page like a phone's browser and presses the button with
// id button (e.g. "pay"). It returns where the page sent the browser (the
// Location of the redirect), or "" when it did not redirect.
func Click(t testing.TB, pageURL, button string) string {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(pageURL)
	if err != nil {
		t.Fatalf("open the pay page: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// 收钱吧's gateway answers with a redirect to its cashier page first.
	for resp.StatusCode == http.StatusFound {
		loc, _ := resp.Location()
		if resp, err = hc.Get(loc.String()); err != nil {
			t.Fatal(err)
		}
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		pageURL = loc.String()
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pay page answered %d: %s", resp.StatusCode, page)
	}
	m := formRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no form on the pay page: %s", page)
	}
	form := url.Values{}
	for _, h := range hiddenRE.FindAllSubmatch(m[2], -1) {
		form.Set(string(h[1]), html.UnescapeString(string(h[2])))
	}
	found := false
	for _, b := range buttonRE.FindAllSubmatch(m[2], -1) {
		if string(b[1]) == button {
			form.Set(string(b[2]), string(b[3]))
			found = true
		}
	}
	if !found {
		t.Fatalf("no button %q on the pay page", button)
	}
	target, _ := url.Parse(pageURL)
	if a := html.UnescapeString(string(m[1])); a != "" {
		ref, _ := url.Parse(a)
		target = target.ResolveReference(ref)
	}
	resp, err = hc.Post(target.String(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 == 3 {
		return resp.Header.Get("Location")
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pressing %q: HTTP %d %s", button, resp.StatusCode, body)
	}
	return ""
}
