package bridge_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// storedJSON are the bridge types whose JSON is storage, not a view: what
// bridge (or a channel, through bridge's type) writes into the database and
// reads back. Renaming a field there would strand rows already written, so
// their tags stay; every other JSON shape is the console's (issue 12).
var storedJSON = map[string]string{
	"actions.go Courier":            "inside a queued 开个店 call's outbox payload (kaigedian/channel/calls.go opPayload)",
	"reporter.go Transition":        "a reporter row's outbox payload, read back by reports.go",
	"storeops.go StoreCallBody":     "a store call's outbox payload",
	"storeops.go SellResult":        "a sell-out row's stored result, written by the channel",
	"table_dining.go TableCallBody": "a 围餐 call's outbox payload, marshalled by the channel",
	"submit.go func POSOrderState":  "reads a submission's stored result and payload by their stored names",
}

// Bridge gives domain values; the console names them on the wire
// (console/*_views.go). A `json:"…"` tag in bridge is a view that drifted
// back, unless it is one of the stored encodings above.
func TestBridgeHoldsNoJSONViews(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			owner := ""
			switch d := decl.(type) {
			case *ast.FuncDecl:
				owner = "func " + d.Name.Name
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						tagged(ts, name+" "+ts.Name.Name, fset, found, t)
					}
				}
				continue
			}
			tagged(decl, name+" "+owner, fset, found, t)
		}
	}
	for key := range storedJSON {
		if !found[key] {
			t.Errorf("%s is allowed its stored JSON but has no json tag any more: drop it from storedJSON", key)
		}
	}
}

// tagged reports each struct field under n that carries a json tag; key
// names where it is (file and type or function).
func tagged(n ast.Node, key string, fset *token.FileSet, found map[string]bool, t *testing.T) {
	ast.Inspect(n, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok {
			return true
		}
		for _, field := range st.Fields.List {
			if field.Tag == nil || !strings.Contains(field.Tag.Value, `json:"`) {
				continue
			}
			found[key] = true
			if _, stored := storedJSON[key]; !stored {
				t.Errorf("%s: %s has a json tag: bridge holds no JSON views; shape it in console", fset.Position(field.Pos()), key)
			}
		}
		return true
	})
}
