package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/console"
	"github.com/posbridge/posbridge/internal/harness"
)

type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type openAPIOp struct {
	Responses map[string]json.RawMessage `json:"responses"`
}

// apiRoute reports whether a mux pattern belongs to the JSON API (the
// page, its assets and the login form are not API).
func apiRoute(pattern string) bool {
	method, path, ok := strings.Cut(pattern, " ")
	return ok && method != "" && (strings.HasPrefix(path, "/api/") || path == "/metrics")
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// The document is held against the real mux: every API route the console
// registers is documented, and every documented operation answers with a
// status it documents — from the running daemon, not a copy of the table.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	env := startEnv(t, harness.Options{})
	resp, err := http.Get(env.ConsoleURL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.json: %d %v %q", resp.StatusCode, err, doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	srv := &console.Server{Bridge: env.Daemon.Bridge, Fleet: env.Daemon.Fleet, Config: env.Config}
	routes := srv.Routes()
	var missing []string
	for _, p := range routes {
		if apiRoute(p) && !documented[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("routes not in the OpenAPI document (add them to apiOps in console/openapi_routes.go): %v", missing)
	}
	for op := range documented {
		if !slices.Contains(routes, op) {
			t.Errorf("documented %s is not a route of the console mux", op)
		}
	}

	examples := map[string]string{"code": "NOSUCH0000", "id": "999999", "name": "nosuchprinter", "rid": "999"}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op openAPIOp
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			url := env.ConsoleURL + pathParam.ReplaceAllStringFunc(path, func(m string) string { return examples[strings.Trim(m, "{}")] })
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			var body *bytes.Reader
			if method == "post" {
				body = bytes.NewReader([]byte("{}"))
			} else {
				body = bytes.NewReader(nil)
			}
			req, _ := http.NewRequestWithContext(ctx, strings.ToUpper(method), url, body)
			if method == "post" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				cancel()
				t.Fatalf("%s %s: %v", method, path, err)
			}
			resp.Body.Close() // streams end here, after their headers
			cancel()
			if _, ok := op.Responses[strconv.Itoa(resp.StatusCode)]; !ok {
				t.Errorf("%s %s answered %d, which the document does not list", strings.ToUpper(method), path, resp.StatusCode)
			}
			if resp.StatusCode == 404 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s %s: the mux has no such route (404 %s)", strings.ToUpper(method), path, resp.Header.Get("Content-Type"))
			}
		}
	}
}
