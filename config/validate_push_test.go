package config

import "testing"

// Issue 13 items 1 and 4: a push listener reachable from other machines
// with neither push.token nor platform.public_key_file is an error for
// `config check` (anyone on the network could cancel paid orders), yet the
// daemon of an upgraded store still starts: it refuses every push and polls.
func TestOpenPushListenerIsAnError(t *testing.T) {
	c := liveConfig(t)
	c.Push.Listen, c.Platform.PublicKeyFile = "0.0.0.0:8687", ""
	p, ok := findProblem(c.Validate(), "push.listen", "not authenticated")
	if !ok || p.Warning || !p.StillStarts {
		t.Fatalf("want an error the daemon starts with, got %+v (found %v)", p, ok)
	}
	if len(Errors(c.Validate())) == 0 {
		t.Fatal("config check must fail")
	}
	if err := c.Check(); err != nil {
		t.Fatalf("the daemon must still start: %v", err)
	}
	if !c.PushOpenWithoutAuth() {
		t.Fatal("PushOpenWithoutAuth")
	}
	for name, fix := range map[string]func(*Config){
		"token":      func(c *Config) { c.Push.Token = "s3cret-token-123" },
		"public key": func(c *Config) { c.Platform.PublicKeyFile = "keys/public.pem" },
		"loopback":   func(c *Config) { c.Push.Listen = "127.0.0.1:8687" },
		"off":        func(c *Config) { c.Push.Listen = "" },
	} {
		c := liveConfig(t)
		c.Push.Listen, c.Platform.PublicKeyFile = "0.0.0.0:8687", ""
		fix(c)
		if c.PushOpenWithoutAuth() {
			t.Errorf("%s: still open without auth", name)
		}
		if _, ok := findProblem(c.Validate(), "push.listen", "not authenticated"); ok {
			t.Errorf("%s: still reported", name)
		}
	}
}
