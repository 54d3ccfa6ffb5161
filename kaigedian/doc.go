// Package kaigedian speaks the 开个店 (Freemud 非码) open-platform protocol:
// the signed request envelope (RSA2 = SHA256withRSA), typed requests and
// responses for the order endpoints, a tolerant reader for every documented
// inconsistency of the platform's documents, push payload validation and
// decoding, and the mapping of the wire format to package order.
//
// It decides nothing about an order; package bridge does. The sub-package
// fake is an in-memory 开个店 for tests, the sandbox and the load tool.
package kaigedian
