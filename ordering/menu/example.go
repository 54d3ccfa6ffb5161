package menu

import _ "embed"

//go:embed example.yaml
var example []byte

// Example is the commented example menu `posbridge menu init` writes: a tea
// shop with specs 中杯/大杯, priced condiments, a set meal with a must and an
// optional group, tables and business periods.
func Example() []byte { return append([]byte(nil), example...) }
