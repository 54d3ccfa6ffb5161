package config

import (
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/ordering/members/rules"
)

// MembersConfig is ordering.members with the default level when none is
// written (lists are not viper defaults).
func (c *OrderingConfig) MembersConfig() rules.Config {
	m := c.Members
	if len(m.Levels) == 0 {
		m.Levels = rules.DefaultConfig().Levels
	}
	return m
}

// members checks ordering.members (each problem at its own key, so its line
// is shown) and console.manager_pin.
func (v *validator) members() {
	m := v.c.Ordering.MembersConfig()
	for _, p := range m.Validate() {
		key, msg, ok := strings.Cut(p, ": ")
		if !ok {
			key, msg = "", p
		}
		full := "ordering.members"
		if key != "" {
			full += "." + key
		}
		v.err(full, "%s", msg)
	}
	pin := v.c.Console.ManagerPin
	switch {
	case pin == "":
	case isBcrypt(pin):
		if _, err := bcrypt.Cost([]byte(pin)); err != nil {
			v.err("console.manager_pin", "looks like a bcrypt hash but is damaged (%v): paste the whole hash, in quotes", err)
		}
	case len([]rune(pin)) < 6:
		v.err("console.manager_pin", "is too short: use at least 6 characters (it lets someone change members' balances)")
	case pin == v.c.Console.Pin:
		v.err("console.manager_pin", "is the staff PIN (console.pin): the manager's PIN must be another one")
	}
}
