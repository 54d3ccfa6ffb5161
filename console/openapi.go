package console

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// apiOp is one documented route.
type apiOp struct {
	Method, Path, Tag, Summary string
	Query                      []apiParam
	Body                       []apiParam // the JSON body's fields (none: no body)
	Produces                   string     // "" = application/json
	Responses                  []int
	Schema                     string // a named schema of the 200 answer
	Stream                     bool   // answers as a stream that stays open
}

// apiParam is a query parameter.
type apiParam struct{ Name, Description string }

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

var statusText = map[int]string{
	200: "OK", 201: "Created", 202: "Accepted: the action is recorded and carried out (see the order or job)",
	400: "Bad request: the error says which parameter", 401: "Not logged in, or a wrong API token",
	403: "Refused for this client", 404: "No such order, job, printer or call",
	409: "Conflict with the current state (the error and status say which)", 422: "Well-formed but refused by the platform rules",
}

// openAPI is the document: OpenAPI 3.1 of the console JSON API.
func (s *Server) openAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, op := range apiOps {
		params := []map[string]any{}
		for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Description, "schema": map[string]string{"type": "string"}})
		}
		responses := map[string]any{}
		for _, code := range op.Responses {
			resp := map[string]any{"description": statusText[code]}
			ct := op.Produces
			if ct == "" || code >= 400 {
				ct = "application/json"
			}
			schema := map[string]any{"type": "object"}
			switch {
			case code >= 400:
				schema = map[string]any{"$ref": "#/components/schemas/Error"}
			case op.Schema != "":
				schema = map[string]any{"$ref": "#/components/schemas/" + op.Schema}
			case ct != "application/json":
				schema = map[string]any{"type": "string"}
			}
			resp["content"] = map[string]any{ct: map[string]any{"schema": schema}}
			responses[strconv.Itoa(code)] = resp
		}
		o := map[string]any{"summary": op.Summary, "tags": []string{op.Tag}, "operationId": operationID(op),
			"parameters": params, "responses": responses}
		if len(op.Body) > 0 {
			props := map[string]any{}
			for _, f := range op.Body {
				typ := "string"
				switch f.Name {
				case "print":
					typ = "boolean"
				case "actual_pay_amount":
					typ = "integer"
				case "order_item_list":
					typ = "array"
				}
				props[f.Name] = map[string]string{"type": typ, "description": f.Description}
			}
			o["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"type": "object", "properties": props}}}}
		}
		if paths[op.Path] == nil {
			paths[op.Path] = map[string]any{}
		}
		paths[op.Path][strings.ToLower(op.Method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "posbridge console API", "version": "1",
			"description": "The JSON API of the staff console, open to other store tools. Times are RFC 3339; money is integer fen. " +
				"Clients on this PC need no login; tools on the LAN send Authorization: Bearer <console.api_token>."},
		"servers":    []map[string]string{{"url": "/"}},
		"security":   []map[string][]string{{}, {"apiToken": {}}},
		"paths":      paths,
		"components": openAPIComponents,
	}
}

func operationID(op apiOp) string {
	p := pathParam.ReplaceAllString(op.Path, "by_$1")
	p = strings.NewReplacer("/api/", "", "/", "_", ".", "_").Replace(p)
	return strings.ToLower(op.Method) + "_" + strings.Trim(p, "_")
}

var fenSchema = map[string]any{"type": "integer", "description": "fen"}

var groupSchema = map[string]any{"type": "object", "properties": map[string]any{
	"key": map[string]string{"type": "string"}, "label": map[string]string{"type": "string"},
	"orders": map[string]string{"type": "integer"}, "revenue": fenSchema, "refunds": map[string]string{"type": "integer"}, "refund_amount": fenSchema}}

var openAPIComponents = map[string]any{
	"securitySchemes": map[string]any{"apiToken": map[string]string{"type": "http", "scheme": "bearer", "description": "console.api_token"}},
	"schemas": map[string]any{
		"Error": map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{
			"error": map[string]string{"type": "string", "description": "what is wrong and what to do, in Chinese"}}},
		"Report": map[string]any{"type": "object", "properties": map[string]any{
			"kind": map[string]any{"type": "string", "enum": []string{"day", "shift"}},
			"day":  map[string]string{"type": "string"}, "store_id": map[string]string{"type": "string"},
			"from": map[string]string{"type": "string", "format": "date-time"}, "to": map[string]string{"type": "string", "format": "date-time"},
			"staff": map[string]string{"type": "string"}, "made_at": map[string]string{"type": "string", "format": "date-time"},
			"totals": map[string]any{"type": "object", "properties": map[string]any{
				"orders": map[string]string{"type": "integer"}, "original": fenSchema, "discount": fenSchema, "package_fee": fenSchema,
				"deliver_fee": fenSchema, "revenue": fenSchema, "unpriced": map[string]string{"type": "integer"},
				"cancelled": map[string]string{"type": "integer"}, "cancelled_amount": fenSchema,
				"refunds": map[string]string{"type": "integer"}, "refund_amount": fenSchema, "net": fenSchema}},
			"by_source": map[string]any{"type": "array", "items": groupSchema}, "by_channel": map[string]any{"type": "array", "items": groupSchema},
			"by_store": map[string]any{"type": "array", "items": groupSchema},
			"items": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
				"name": map[string]string{"type": "string"}, "spec": map[string]string{"type": "string"},
				"quantity": map[string]string{"type": "integer"}, "amount": fenSchema}}},
			"hours": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
				"start": map[string]string{"type": "string", "format": "date-time"}, "label": map[string]string{"type": "string"},
				"orders": map[string]string{"type": "integer"}, "revenue": fenSchema}}},
		}},
	},
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.openAPI())
}
