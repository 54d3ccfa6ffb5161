package console

// apiOps is the console JSON API as the OpenAPI document describes it. One
// entry per route: adding a route to the mux without an entry here fails
// TestOpenAPIDocumentsEveryRoute, which names it.
var apiOps = []apiOp{
	{Method: "GET", Path: "/api/orders", Tag: "orders", Summary: "List orders (newest first)",
		Query:     []apiParam{{"date", "business day YYYY-MM-DD (default today) or all"}, {"status", "comma-separated statuses, e.g. new,accepted"}, {"q", "search: order code, pickup number prefix, last digits of the phone"}, {"limit", "page size (default 200)"}, {"offset", "rows to skip"}},
		Responses: []int{200, 400}},
	{Method: "GET", Path: "/api/orders/{code}", Tag: "orders", Summary: "One order with its detail, history, print jobs and platform calls",
		Responses: []int{200, 404}},
	{Method: "POST", Path: "/api/orders/{code}/accept", Tag: "actions", Summary: "Accept (接单)", Body: []apiParam{{"reason", "optional"}}, Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/reject", Tag: "actions", Summary: "Reject (拒单)", Body: []apiParam{{"reason", "optional, shown to the customer"}}, Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/refund/approve", Tag: "actions", Summary: "Approve the customer's refund request", Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/refund/reject", Tag: "actions", Summary: "Refuse the customer's refund request", Body: []apiParam{{"reason", "optional"}}, Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/made", Tag: "actions", Summary: "Mark made (出餐)", Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/complete", Tag: "actions", Summary: "Mark completed (已取餐)", Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/deliver", Tag: "actions", Summary: "Hand to the courier (配送中)", Body: []apiParam{{"contacts_name", "the courier"}, {"mobile", "the courier's phone"}}, Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/cancel", Tag: "actions", Summary: "After-sales cancel at the platform", Body: []apiParam{{"reason", "required"}}, Responses: actionResponses},
	{Method: "POST", Path: "/api/orders/{code}/reprint", Tag: "actions", Summary: "Print a document of the order again, marked 补打", Body: []apiParam{{"doc", "receipt | kitchen | label"}, {"printer", "only this printer (optional)"}}, Responses: []int{202, 400, 404, 409}},
	{Method: "POST", Path: "/api/scan", Tag: "actions", Summary: "A scanned order barcode or typed pickup number", Body: []apiParam{{"code", "what the scanner read"}}, Responses: []int{200, 202, 400, 404, 409}},
	{Method: "POST", Path: "/api/pos/orders", Tag: "pos", Summary: "Hand in an offline order for /order/submit (Idempotency-Key header)", Body: []apiParam{{"store_id", "the store"}, {"actual_pay_amount", "fen"}, {"order_item_list", "the items (README: offline orders)"}}, Responses: []int{200, 202, 400, 422}},
	{Method: "GET", Path: "/api/pos/orders/{id}", Tag: "pos", Summary: "State of a handed-in offline order", Responses: []int{200, 400, 404}},
	{Method: "GET", Path: "/api/platform", Tag: "platform", Summary: "Platform link health and failing calls", Responses: []int{200}},
	{Method: "GET", Path: "/api/calls", Tag: "platform", Summary: "Platform calls (the outbox)", Query: []apiParam{{"order", "order code"}, {"state", "comma-separated: pending,failed,done,moot"}}, Responses: []int{200, 400}},
	{Method: "POST", Path: "/api/calls/{id}/retry", Tag: "platform", Summary: "Retry a failed platform call now", Responses: []int{202, 400, 404}},
	{Method: "POST", Path: "/api/calls/{id}/abandon", Tag: "platform", Summary: "Stop retrying a platform call", Responses: []int{202, 400, 404}},
	{Method: "GET", Path: "/api/printers", Tag: "printers", Summary: "Printers with their state and queue", Responses: []int{200}},
	{Method: "POST", Path: "/api/printers/{name}/test", Tag: "printers", Summary: "Print the test page", Responses: []int{202, 404}},
	{Method: "GET", Path: "/api/jobs", Tag: "printers", Summary: "Print jobs", Query: []apiParam{{"printer", "printer name"}, {"order", "order code"}, {"state", "comma-separated job states"}}, Responses: []int{200, 400}},
	{Method: "GET", Path: "/api/jobs/{id}", Tag: "printers", Summary: "One print job", Responses: []int{200, 400, 404}},
	{Method: "GET", Path: "/api/jobs/{id}/preview", Tag: "printers", Summary: "What the job prints, decoded from its bytes (text and structure)", Responses: []int{200, 400, 404}},
	{Method: "GET", Path: "/api/jobs/{id}/preview.png", Tag: "printers", Summary: "The job drawn as the printer prints it, from its bytes: one pixel per dot at ?scale=1 (up to 4)", Query: []apiParam{{"scale", "pixels per dot, 1–4"}}, Produces: "image/png", Responses: []int{200, 400, 404, 422}},
	{Method: "POST", Path: "/api/jobs/{id}/release", Tag: "printers", Summary: "Print a held job", Responses: []int{202, 400, 404, 409}},
	{Method: "POST", Path: "/api/jobs/{id}/drop", Tag: "printers", Summary: "Drop a held or failed job", Responses: []int{202, 400, 404, 409}},
	{Method: "GET", Path: "/api/stats/today", Tag: "reports", Summary: "Counts of a day (orders by hour and status, times to accept, make, complete)", Query: []apiParam{{"date", "YYYY-MM-DD"}}, Responses: []int{200}},
	{Method: "GET", Path: "/api/events", Tag: "live", Summary: "Live updates as server-sent events", Produces: "text/event-stream", Responses: []int{200}, Stream: true},
	{Method: "GET", Path: "/api/health", Tag: "live", Summary: "The daemon is up (sandbox, setup mode, instance)", Responses: []int{200}},
	{Method: "GET", Path: "/api/session", Tag: "live", Summary: "How this client is let in, the stores", Responses: []int{200}},
	{Method: "GET", Path: "/api/reports/day", Tag: "reports", Summary: "日结: the figures of a business day", Query: reportQuery, Responses: []int{200, 400}, Schema: "Report"},
	{Method: "GET", Path: "/api/reports/day.csv", Tag: "reports", Summary: "日结 as CSV (UTF-8 with BOM)", Query: reportQuery, Produces: "text/csv", Responses: []int{200, 400}},
	{Method: "POST", Path: "/api/reports/day/print", Tag: "reports", Summary: "Print the 日结单 on ?printer= or the first receipt printer", Query: append([]apiParam{{"printer", "printer name"}}, reportQuery...), Responses: []int{202, 400, 409}},
	{Method: "GET", Path: "/api/reports/shift", Tag: "reports", Summary: "交班: the running shift's figures since the last hand-over", Query: []apiParam{{"store", "store id (default all)"}}, Responses: []int{200, 400}, Schema: "Report"},
	{Method: "POST", Path: "/api/reports/shift/handover", Tag: "reports", Summary: "Hand the shift over now (X-Staff-Name names who), optionally printing the 交班单", Body: []apiParam{{"store", "store id (default all)"}, {"print", "true: print the 交班单"}, {"printer", "printer name (default the first receipt printer)"}}, Responses: []int{201, 400, 409}},
	{Method: "POST", Path: "/api/reports/shifts/{id}/print", Tag: "reports", Summary: "Print a past 交班单 again, with the figures kept at its hand-over", Query: []apiParam{{"printer", "printer name"}}, Responses: []int{202, 400, 404, 409}},
	{Method: "GET", Path: "/api/reports/shifts", Tag: "reports", Summary: "Past hand-overs, newest first", Query: []apiParam{{"store", "store id"}}, Responses: []int{200, 400}},
	{Method: "GET", Path: "/api/webhooks", Tag: "integrations", Summary: "Webhook receivers (urls masked) and their deliveries", Query: []apiParam{{"state", "pending | done | failed"}}, Responses: []int{200, 400}},
	{Method: "POST", Path: "/api/webhooks/deliveries/{id}/retry", Tag: "integrations", Summary: "Send a webhook delivery again now", Responses: []int{202, 400, 404}},
	{Method: "GET", Path: "/metrics", Tag: "integrations", Summary: "Prometheus metrics (this PC, or Authorization: Bearer <console.api_token>; a PIN session is refused)", Produces: "text/plain", Responses: []int{200, 401, 403}},
	{Method: "GET", Path: "/api/openapi.json", Tag: "live", Summary: "This document", Responses: []int{200}},
}

var actionResponses = []int{202, 400, 404, 409}

var reportQuery = []apiParam{{"date", "business day YYYY-MM-DD (default today; the day starts at the store's day_start)"}, {"store", "store id (default all stores)"}}
