package kaigedian

// TestKeys gives the external tests the keys generated once per binary.
var TestKeys = testKeys
