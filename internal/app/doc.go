// Package app wires posbridge's pieces into one running daemon: the store,
// the 开个店 client (or the embedded sandbox platform), the printer fleet,
// the bridge, the poller, the push and console listeners and the scanner.
// cmd/posbridge runs it; tests and the load tool start it in-process.
package app
