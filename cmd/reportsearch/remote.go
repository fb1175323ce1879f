package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"reportsearch/indexer"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
	"reportsearch/search/remote"
	"reportsearch/web"
)

// A running server holds its index for writing. It leaves its address and
// a fresh token in serveInfoFile inside the index folder (mode 0600), so
// that `index` and `delete` on the same index send their work to it
// instead of failing on the lock: one writer, no downtime for searches.
const serveInfoFile = "reportsearch-serve.json"

type serveInfo struct {
	Addr  string `json:"addr"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
	// TLS: the server speaks HTTPS with the certificate in Cert, which
	// the CLI pins (it talks to the address, whatever names the
	// certificate is for).
	TLS  bool   `json:"tls,omitempty"`
	Cert string `json:"cert,omitempty"`
}

// url is the server's address of path.
func (info *serveInfo) url(path string) string {
	if info.TLS {
		return "https://" + info.Addr + path
	}
	return "http://" + info.Addr + path
}

// client is an HTTP client for the server: over TLS it accepts exactly
// the server's certificate.
func (info *serveInfo) client(timeout time.Duration) *http.Client {
	c := &http.Client{Timeout: timeout}
	if !info.TLS {
		return c
	}
	var want []byte
	if data, err := os.ReadFile(info.Cert); err == nil {
		want, _ = pemDecode(data)
	}
	c.Transport = &http.Transport{TLSClientConfig: &tls.Config{
		// The certificate is checked below, byte for byte, instead of by
		// name and issuer: the CLI dials an address.
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || want == nil || !bytes.Equal(raw[0], want) {
				return fmt.Errorf("the server at %s does not present the certificate %s", info.Addr, info.Cert)
			}
			return nil
		},
	}}
	return c
}

// pemDecode returns the DER bytes of the first certificate in data.
func pemDecode(data []byte) ([]byte, error) {
	for {
		block, rest := pem.Decode(data)
		if block == nil {
			return nil, errors.New("no certificate")
		}
		if block.Type == "CERTIFICATE" {
			return block.Bytes, nil
		}
		data = rest
	}
}

func newToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

func writeServeInfo(dir string, info serveInfo) error {
	data, _ := json.Marshal(info)
	return os.WriteFile(filepath.Join(dir, serveInfoFile), data, 0o600)
}

func removeServeInfo(dir string) { os.Remove(filepath.Join(dir, serveInfoFile)) }

func readServeInfo(dir string) (*serveInfo, error) {
	data, err := os.ReadFile(filepath.Join(dir, serveInfoFile))
	if err != nil {
		return nil, err
	}
	var info serveInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// openOrRemote opens the index for writing; when a server holds it, it
// returns the server's info instead.
func openOrRemote(dir string) (*bleveindex.Index, *serveInfo, error) {
	// A live server's file: go to it at once rather than after the lock
	// timeout. A stale file (a server that was killed) is ignored.
	if info, err := readServeInfo(dir); err == nil && processAlive(info.PID) && answers(info) {
		return nil, info, nil
	}
	ix, err := bleveindex.Open(dir)
	if err == nil {
		return ix, nil, nil
	}
	if !errors.Is(err, bleveindex.ErrLocked) {
		return nil, nil, err
	}
	info, ierr := readServeInfo(dir)
	if ierr != nil {
		return nil, nil, err
	}
	return nil, info, nil
}

// post sends a JSON request to the server holding the index and decodes
// its JSON answer into out.
func post(info *serveInfo, path string, body, out any) error {
	data, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, info.url(path), bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := info.client(6 * time.Hour).Do(req)
	if err != nil {
		return fmt.Errorf("the index is held by a server at %s, which did not answer: %w", info.Addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("server at %s: %s: %s", info.Addr, resp.Status, e.Error)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func remoteIndex(info *serveInfo, paths []string, manifest string, force bool) (*indexer.Summary, error) {
	req := web.IngestRequest{Manifest: manifest, Force: force}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		req.Paths = append(req.Paths, abs)
	}
	if manifest != "" {
		abs, err := filepath.Abs(manifest)
		if err != nil {
			return nil, err
		}
		req.Manifest = abs
	}
	var sum indexer.Summary
	if err := post(info, "/api/local/index", req, &sum); err != nil {
		return nil, err
	}
	return &sum, nil
}

// reader is what a read command works on: a search.Index — the local
// index, or the server holding it through its API (package search/remote)
// — and the theme lexicon that goes with it.
type reader struct {
	search.Index
	themes search.Themes
	close  func() error
}

func (r *reader) Close() error { return r.close() }

// openForRead opens the index for a read command (search, trends, kwic …).
// A server holding the index blocks even read-only opens, so then the
// command reads through the server's API: the same code path, the same
// answers (the local token makes the server show absolute paths, as a
// local index does).
func openForRead(ctx context.Context, dir string) (*reader, error) {
	ix, info, err := openOrRemote(dir)
	if err != nil {
		return nil, err
	}
	if info != nil {
		c := &remote.Client{Base: info.url(""), HTTP: info.client(0), Token: info.Token}
		lex, err := c.Themes(ctx)
		if err != nil {
			return nil, err
		}
		return &reader{Index: c, themes: lex, close: func() error { return nil }}, nil
	}
	lex, err := localThemes(dir)
	if err != nil {
		ix.Close()
		return nil, err
	}
	return &reader{Index: ix, themes: lex, close: ix.Close}, nil
}

// answers reports whether the server in info answers /healthz (a live
// process with a reused id does not).
func answers(info *serveInfo) bool {
	resp, err := info.client(2 * time.Second).Get(info.url("/healthz"))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// processAlive reports whether a process with this id exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// get asks the server for path?v and copies the answer to w; a non-200
// answer becomes an error carrying the server's message.
func get(ctx context.Context, info *serveInfo, path string, v url.Values, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, info.url(path)+"?"+v.Encode(), nil)
	if err != nil {
		return err
	}
	// The local token: the answer is the one the CLI gives without a
	// server, absolute paths included.
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := info.client(0).Do(req)
	if err != nil {
		return fmt.Errorf("the index is held by a server at %s, which did not answer: %w", info.Addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("%s", e.Error)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

// getJSON is get decoding a JSON answer into out.
func getJSON(ctx context.Context, info *serveInfo, path string, v url.Values, out any) error {
	var buf bytes.Buffer
	if err := get(ctx, info, path, v, &buf); err != nil {
		return err
	}
	return json.Unmarshal(buf.Bytes(), out)
}
