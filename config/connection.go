package config

import "github.com/posbridge/posbridge/internal/connuri"

// Connection is a parsed printer or scanner connection URI; the grammar is
// connuri's, the one the printers and the scanner open.
type Connection = connuri.Connection

// ParseConnection reads a connection URI with connuri.Parse.
func ParseConnection(s string) (Connection, error) { return connuri.Parse(s) }
