package config

import _ "embed"

//go:embed example.yaml
var exampleYAML string

// ExampleYAML is the commented example that `posbridge config init` writes.
// It loads and validates as it is (in sandbox mode).
func ExampleYAML() string { return exampleYAML }
