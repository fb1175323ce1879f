package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The OpenAPI description served at /api/openapi.json is written by hand;
// these tests keep it in sync with the routes and the handlers.

type openAPIDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]openAPIParam `json:"parameters"`
	} `json:"components"`
}

type openAPIParam struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
	Example  any    `json:"example"`
	Schema   struct {
		Type  string `json:"type"`
		Enum  []any  `json:"enum"`
		Items *struct {
			Type    string `json:"type"`
			Pattern string `json:"pattern"`
		} `json:"items"`
	} `json:"schema"`
}

type openAPIOp struct {
	Parameters  []openAPIParam `json:"parameters"`
	Responses   map[string]any `json:"responses"`
	RequestBody any            `json:"requestBody"`
}

func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	e := newSampleServer(t)
	rec := get(t, e, "/api/openapi.json")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc openAPIDoc
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// params resolves an operation's parameters (path-level ones first).
func (d *openAPIDoc) params(t *testing.T, path, method string) []openAPIParam {
	t.Helper()
	var out []openAPIParam
	add := func(raw json.RawMessage) {
		var ps []openAPIParam
		if err := json.Unmarshal(raw, &ps); err != nil {
			t.Fatalf("%s parameters: %v", path, err)
		}
		for _, p := range ps {
			if p.Ref != "" {
				name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
				rp, ok := d.Components.Parameters[name]
				if !ok {
					t.Errorf("%s %s: unresolved %s", method, path, p.Ref)
					continue
				}
				p = rp
			}
			out = append(out, p)
		}
	}
	if raw, ok := d.Paths[path]["parameters"]; ok {
		add(raw)
	}
	var op struct {
		Parameters json.RawMessage `json:"parameters"`
	}
	json.Unmarshal(d.Paths[path][method], &op)
	if op.Parameters != nil {
		add(op.Parameters)
	}
	return out
}

var httpMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// echoParam turns Echo's ":id" into OpenAPI's "{id}".
var echoParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// Every API route is described, every description is a route, and every
// path parameter is declared.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	s := newAdminServer(t) // all routes: pages, API, admin and local
	routes := map[string]bool{}
	for _, r := range s.e.Routes() {
		m := strings.ToLower(r.Method)
		if !slices.Contains(httpMethods, m) || !(strings.HasPrefix(r.Path, "/api/") || slices.Contains([]string{"/healthz", "/readyz", "/metrics"}, r.Path)) {
			continue
		}
		routes[m+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for m := range item {
			if slices.Contains(httpMethods, m) {
				documented[m+" "+path] = true
			}
		}
	}
	var missing, extra []string
	for r := range routes {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routes[d] {
			extra = append(extra, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes not described in openapi.json: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("openapi.json describes routes that do not exist: %v", extra)
	}
	if len(routes) < 13 {
		t.Errorf("only %d API routes found", len(routes))
	}
	for r := range documented {
		m, path, _ := strings.Cut(r, " ")
		var inPath []string
		for _, p := range doc.params(t, path, m) {
			if p.In == "path" {
				inPath = append(inPath, p.Name)
				if !p.Required {
					t.Errorf("%s: path parameter %s not required", r, p.Name)
				}
			}
		}
		var want []string
		for _, sm := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(path, -1) {
			want = append(want, sm[1])
		}
		slices.Sort(inPath)
		slices.Sort(want)
		if !slices.Equal(inPath, want) {
			t.Errorf("%s: path parameters %v declared, %v in the path", r, inPath, want)
		}
		var op openAPIOp
		json.Unmarshal(doc.Paths[path][m], &op)
		if len(op.Responses) == 0 {
			t.Errorf("%s: no responses", r)
		}
	}
}

var tookMS = regexp.MustCompile(`"took_ms":[0-9.e-]+`)

// Every documented query parameter is read by its handler: setting it to
// a probe value (invalid for enums, numbers and patterns; an unknown value
// for filters; another query for q) changes the answer.
func TestOpenAPIParametersAreRead(t *testing.T) {
	doc := loadOpenAPI(t)
	e := newSampleServer(t)
	list, _ := sampleIndex(t).Reports()
	docID := list[0].ID
	fetch := func(target string) (int, string) {
		rec := get(t, e, target)
		return rec.Code, string(tookMS.ReplaceAll(rec.Body.Bytes(), nil))
	}
	probes := 0
	for path, item := range doc.Paths {
		if _, ok := item["get"]; !ok {
			continue
		}
		var op struct {
			Security  []any             `json:"security"`
			BaseQuery map[string]string `json:"x-base-query"`
		}
		json.Unmarshal(item["get"], &op)
		if len(op.Security) > 0 {
			continue // admin: see the admin tests
		}
		ps := doc.params(t, path, "get")
		concrete := strings.NewReplacer("{id}", docID, "{n}", "1", "{name}", "城市").Replace(path)
		base := url.Values{}
		// x-base-query: what a request needs beyond its required
		// parameters (one of several optional filters, say).
		for k, v := range op.BaseQuery {
			base.Set(k, v)
		}
		for _, p := range ps {
			if p.In == "query" && p.Required {
				base.Set(p.Name, exampleOf(p))
			}
		}
		baseCode, baseBody := fetch(concrete + "?" + base.Encode())
		if baseCode != http.StatusOK {
			t.Errorf("GET %s with the examples of required parameters: %d", concrete, baseCode)
			continue
		}
		for _, p := range ps {
			if p.In != "query" {
				continue
			}
			if p.Example == nil {
				t.Errorf("GET %s: parameter %s has no example", path, p.Name)
			}
			v := url.Values{}
			for k, vs := range base {
				v[k] = vs
			}
			v.Set(p.Name, probeOf(p))
			code, body := fetch(concrete + "?" + v.Encode())
			if code == baseCode && body == baseBody {
				t.Errorf("GET %s: %s=%s changes nothing: is it read?", path, p.Name, v.Get(p.Name))
			}
			probes++
		}
	}
	if probes < 20 {
		t.Errorf("only %d parameters probed", probes)
	}
}

func exampleOf(p openAPIParam) string {
	switch ex := p.Example.(type) {
	case []any:
		return fmt.Sprint(ex[0])
	case nil:
		return ""
	default:
		return fmt.Sprint(ex)
	}
}

func probeOf(p openAPIParam) string {
	switch {
	case p.Name == "q":
		return "人民"
	case len(p.Schema.Enum) > 0, p.Schema.Type == "integer":
		return "not-a-value"
	case p.Schema.Items != nil && p.Schema.Items.Pattern != "":
		return "not-a-year"
	}
	return "__no_such_value__"
}
