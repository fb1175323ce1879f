package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSelfSigned writes a certificate for names and its key.
func writeSelfSigned(t *testing.T, dir string, names ...string) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: names,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(priv)
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return cert, key
}

// startServe runs `serve` in this process until the test ends and waits
// for it to be ready (its serve file written).
func startServe(t *testing.T, args ...string) (*serveInfo, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, append([]string{"--index", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, serveInfoFile)); err == nil {
			t.Error("serve file left after shutdown")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v", err)
		default:
		}
		if info, err := readServeInfo(dir); err == nil {
			return info, dir
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("serve did not become ready")
	return nil, ""
}

// serve over TLS: HTTPS with the given certificate, the session cookie
// Secure, the CLI's commands handed over TLS (pinning the certificate,
// whatever names it is for), the Host allowlist, /readyz.
func TestServeTLS(t *testing.T) {
	cert, key := writeSelfSigned(t, t.TempDir(), "reports.intranet.example")
	info, dir := startServe(t, "--tls-cert", cert, "--tls-key", key, "--admin-token", "tls-admin-token",
		"--allowed-host", "reports.intranet.example")
	if !info.TLS || info.Cert != cert {
		t.Fatalf("serve file %+v", info)
	}
	c := info.client(10 * time.Second)
	get := func(path, host string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, info.url(path), nil)
		if host != "" {
			req.Host = host
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	if resp, body := get("/readyz", ""); resp.StatusCode != http.StatusOK || !strings.Contains(body, "ready") || resp.TLS == nil {
		t.Errorf("readyz: %d %s", resp.StatusCode, body)
	}
	for host, code := range map[string]int{"evil.example": 421, "reports.intranet.example": 200, "localhost:1": 200} {
		if resp, _ := get("/api/search?q=x", host); resp.StatusCode != code {
			t.Errorf("host %s: %d, want %d", host, resp.StatusCode, code)
		}
	}
	if resp, body := get("/metrics", ""); resp.StatusCode != http.StatusOK || !strings.Contains(body, "reportsearch_index_reports 8") {
		t.Errorf("metrics: %d %.300s", resp.StatusCode, body)
	}
	// Logging in over TLS: the cookie is Secure.
	req, _ := http.NewRequest(http.MethodPost, info.url("/admin/login"), strings.NewReader("token=tls-admin-token"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ck := resp.Cookies(); resp.StatusCode != http.StatusSeeOther || len(ck) != 1 || !ck[0].Secure || !ck[0].HttpOnly {
		t.Errorf("login over TLS: %d %v", resp.StatusCode, resp.Cookies())
	}
	// The CLI goes through the TLS server.
	var out bytes.Buffer
	if err := runSearch(context.Background(), []string{"--index", dir, "--json", "发展"}, &out); err != nil {
		t.Fatalf("search through the TLS server: %v", err)
	}
	var body struct{ Total int }
	if json.Unmarshal(out.Bytes(), &body); body.Total == 0 {
		t.Errorf("search through the TLS server: %.200s", out.String())
	}
	// A server presenting another certificate is refused.
	other, _ := writeSelfSigned(t, t.TempDir(), "reports.intranet.example")
	bad := *info
	bad.Cert = other
	if _, err := bad.client(5 * time.Second).Get(info.url("/healthz")); err == nil {
		t.Error("the CLI accepted a certificate other than the server's")
	}
}

// Plain serve: the default allowlist (localhost and the listen address)
// and the local hand-off refusing files outside its roots.
func TestServeDefaults(t *testing.T) {
	info, dir := startServe(t)
	for host, code := range map[string]int{"evil.example": 421, "localhost:8080": 200, "127.0.0.1": 200, "[::1]:80": 200} {
		req, _ := http.NewRequest(http.MethodGet, info.url("/api/search?q=x"), nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != code {
			t.Errorf("host %s: %d, want %d", host, resp.StatusCode, code)
		}
	}
	err := runIndex(context.Background(), []string{"--index", dir, "/etc/passwd"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "--allow-index-root") {
		t.Errorf("index /etc/passwd through the server: %v", err)
	}
}
