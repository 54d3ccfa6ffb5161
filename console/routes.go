package console

import "net/http"

// router is what route groups register on: the console's recording mux
// (or a plain *http.ServeMux).
type router interface {
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
	Handle(pattern string, h http.Handler)
}

// routeMux is a ServeMux that remembers its patterns, so that the OpenAPI
// test can hold the document against every route the console serves.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func newRouteMux() *routeMux { return &routeMux{ServeMux: http.NewServeMux()} }

// HandleFunc registers and records pattern.
func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// Handle registers and records pattern.
func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

// Routes is every pattern the console mux serves, as registered ("GET /api/orders").
func (s *Server) Routes() []string {
	return s.buildMux().patterns
}

// routeIntegrations registers what store tools, chains and the report
// screen use: reports, the OpenAPI document, metrics, image previews.
func (s *Server) routeIntegrations(mux router) {
	s.routeReports(mux)
	mux.HandleFunc("GET /api/openapi.json", s.serveOpenAPI)
	mux.HandleFunc("GET "+metricsPath, s.serveMetrics)
	mux.HandleFunc("GET /api/jobs/{id}/preview.png", s.jobPicture)
	mux.HandleFunc("GET /api/webhooks", s.listWebhooks)
	mux.HandleFunc("POST /api/webhooks/deliveries/{id}/retry", s.retryWebhook)
}
