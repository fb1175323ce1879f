// Package remote is a search.Index over a reportsearch server's HTTP API:
// the CLI's read commands take a search.Index and get either the local
// bleve index or this client for the server that holds it, so every
// command has one code path (package search/workbench and search.Trends
// run on it unchanged). Answers are the API's, decoded; errors the
// server's, mapped back: a 400 to a *search.BadRequestError with its code,
// a 404 to search.ErrNotFound.
package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"reportsearch/search"
)

// Client is a search.Index answered by the server at Base.
type Client struct {
	// Base is the server's address, e.g. http://127.0.0.1:8080.
	Base string
	// HTTP is the client to use (nil: http.DefaultClient).
	HTTP *http.Client
	// Token, when set, is sent as a bearer token (the local hand-off
	// token: the answers then show absolute paths, as a local index does).
	Token string
}

var _ search.Index = (*Client)(nil)

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// get asks for path?v and returns the body of a 200 answer.
func (c *Client) get(ctx context.Context, path string, v url.Values) (io.ReadCloser, error) {
	u := strings.TrimSuffix(c.Base, "/") + path
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("the server at %s did not answer: %w", c.Base, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp.Body, nil
	}
	defer resp.Body.Close()
	var e struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e)
	if e.Error == "" {
		e.Error = resp.Status
	}
	switch resp.StatusCode {
	case http.StatusBadRequest:
		return nil, &search.BadRequestError{Msg: e.Error, Code: e.Code}
	case http.StatusNotFound:
		return nil, fmt.Errorf("%s: %w", strings.TrimSuffix(e.Error, ": not found"), search.ErrNotFound)
	}
	return nil, fmt.Errorf("server at %s: %s: %s", c.Base, resp.Status, e.Error)
}

func (c *Client) getJSON(ctx context.Context, path string, v url.Values, out any) error {
	body, err := c.get(ctx, path, v)
	if err != nil {
		return err
	}
	defer body.Close()
	return json.NewDecoder(body).Decode(out)
}

// Values are a request's API parameters (the names of GET /api/search).
func Values(req search.Request) url.Values {
	v := FilterValues(req.Filter, url.Values{"q": {req.Query}})
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("mode", string(req.Mode))
	set("sort", string(req.Sort))
	set("group", string(req.Group))
	if req.From != 0 {
		v.Set("from", strconv.Itoa(req.From))
	}
	if req.Size != 0 {
		v.Set("size", strconv.Itoa(req.Size))
	}
	return v
}

// FilterValues adds a filter's parameters to v.
func FilterValues(f search.Filter, v url.Values) url.Values {
	for _, y := range f.Years {
		v.Add(search.FieldYear, y.String())
	}
	for field, vals := range map[string][]string{search.FieldRegion: f.Regions, search.FieldLevel: f.Levels,
		search.FieldOrganization: f.Organizations, search.FieldDocType: f.DocTypes} {
		for _, s := range vals {
			v.Add(field, s)
		}
	}
	return v
}

// Search asks GET /api/search.
func (c *Client) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	var resp search.Response
	if err := c.getJSON(ctx, "/api/search", Values(req), &resp); err != nil {
		return nil, err
	}
	fixFacetYears(resp.Facets)
	fixFacetYears(resp.FacetsDisjunctive)
	if req.Group == search.GroupDoc && resp.Groups == nil {
		resp.Groups = []search.DocGroup{} // omitted from the JSON when empty
	}
	return &resp, nil
}

// fixFacetYears turns the years JSON decoded as float64 back into ints,
// as the index gives them (so that values compare and print alike).
func fixFacetYears(f map[string][]search.FacetValue) {
	for i, v := range f[search.FieldYear] {
		if y, ok := v.Value.(float64); ok {
			f[search.FieldYear][i].Value = int(y)
		}
	}
}

// Export streams GET /api/search?format=jsonl.
func (c *Client) Export(ctx context.Context, req search.Request, fn func(search.Row) error) error {
	v := Values(req)
	v.Del("from")
	v.Del("size")
	v.Set("format", "jsonl")
	body, err := c.get(ctx, "/api/search", v)
	if err != nil {
		return err
	}
	defer body.Close()
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r search.Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("server at %s: bad export line: %w", c.Base, err)
		}
		// The API adds the reader's address; a backend's row has none
		// (export writers add it, see export.Options).
		r.Reader = ""
		if err := fn(r); err != nil {
			return err
		}
	}
	return sc.Err()
}

// CountByReport asks GET /api/counts.
func (c *Client) CountByReport(ctx context.Context, req search.Request) (map[string]uint64, uint64, error) {
	v := Values(req)
	for _, k := range []string{"from", "size", "sort", "group"} {
		v.Del(k)
	}
	var out search.Counts
	if err := c.getJSON(ctx, "/api/counts", v, &out); err != nil {
		return nil, 0, err
	}
	return out.Reports, out.Total, nil
}

// Report asks GET /api/documents/{id}.
func (c *Client) Report(id string) (*search.Report, error) {
	doc, err := c.document(context.Background(), id)
	if err != nil {
		return nil, err
	}
	return &doc.Report, nil
}

// Paragraphs asks GET /api/documents/{id}.
func (c *Client) Paragraphs(ctx context.Context, id string) ([]search.Paragraph, error) {
	doc, err := c.document(ctx, id)
	if err != nil {
		return nil, err
	}
	return doc.Paragraphs, nil
}

func (c *Client) document(ctx context.Context, id string) (*search.Document, error) {
	var doc search.Document
	if err := c.getJSON(ctx, "/api/documents/"+url.PathEscape(id), nil, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// Reports asks GET /api/documents.
func (c *Client) Reports() ([]search.Report, error) {
	var list search.ReportList
	if err := c.getJSON(context.Background(), "/api/documents", nil, &list); err != nil {
		return nil, err
	}
	return list.Reports, nil
}

// Themes returns the server's theme lexicon as a resolver (nil when the
// server keeps none), for requests parsed on this side.
func (c *Client) Themes(ctx context.Context) (search.Themes, error) {
	var lex struct {
		Themes []struct {
			Name        string   `json:"name"`
			Expressions []string `json:"expressions"`
		} `json:"themes"`
	}
	if err := c.getJSON(ctx, "/api/themes", nil, &lex); err != nil {
		if errors.Is(err, search.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	m := themeMap{}
	for _, t := range lex.Themes {
		m[t.Name] = t.Expressions
	}
	return m, nil
}

type themeMap map[string][]string

func (m themeMap) Expressions(name string) ([]string, bool) { e, ok := m[name]; return e, ok }
