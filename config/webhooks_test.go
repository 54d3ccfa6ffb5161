package config

import (
	"strings"
	"testing"
)

func TestWebhookValidation(t *testing.T) {
	c := loadYAML(t, `stores: [ { id: "1862", name: 南翔一店 } ]
webhooks:
  - { url: "https://ops.example.com/hook?token=abc", secret: "0123456789abcdef-secret", events: [order.*, printer.fault] }
  - { url: "ftp://x", secret: short, events: [order.eaten] }
  - { url: "", secret: "" }
`)
	var msgs []string
	for _, p := range c.Validate() {
		msgs = append(msgs, p.Key+": "+p.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"webhooks[1].url", "webhooks[1].secret", "webhooks[1].events[0]"} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem at %s:\n%s", want, all)
		}
	}
	if strings.Contains(all, "webhooks[0]") || strings.Contains(all, "webhooks[2]") {
		t.Errorf("a good or an off webhook was refused:\n%s", all)
	}
	if !c.Webhooks[0].Wants("order.accepted") || c.Webhooks[0].Wants("printer.recovered") {
		t.Error("event patterns do not match as written")
	}
	masked := c.MaskedYAML()
	if strings.Contains(masked, "0123456789abcdef") || strings.Contains(masked, "token=abc") {
		t.Fatalf("config check shows a webhook secret:\n%s", masked)
	}
	if !strings.Contains(masked, "****et") || !strings.Contains(masked, "https://ops.example.com/hook?****") {
		t.Fatalf("masked webhooks:\n%s", masked)
	}
}
