//go:build !unix

package transport

import "context"

// lockDevice is a no-op where the OS itself opens a port for one program
// at a time (Windows COM ports: a second opener gets "access denied").
func lockDevice(context.Context, string) (func(), error) { return func() {}, nil }
