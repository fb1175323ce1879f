package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"reportsearch/indexer/extract"
)

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

var allow = Options{AllowPrivate: true}

func TestFetchGBKPageByHeaderCharset(t *testing.T) {
	page := "<html><head><title>政府工作报告</title></head><body><p>今年经济社会发展的主要预期目标是国内生产总值增长百分之五左右。</p></body></html>"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=gbk")
		w.Write([]byte(gbk))
	})
	res, err := Fetch(context.Background(), s.URL+"/reports/2024", allow)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(res.Name, ".html") || !strings.HasPrefix(res.Name, "2024-") {
		t.Errorf("name %q", res.Name)
	}
	doc, err := extract.Extract(res.Name, res.Data)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, b := range doc.Blocks {
		text.WriteString(b.Text)
	}
	if !strings.Contains(text.String(), "国内生产总值增长百分之五左右") || doc.Title != "政府工作报告" {
		t.Errorf("read as %s: title %q, text %q", doc.Encoding, doc.Title, text.String())
	}
}

func TestFetchRefusesLoopbackWithoutAllow(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) })
	_, err := Fetch(context.Background(), s.URL, Options{})
	var fe *Error
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "refused") {
		t.Fatalf("loopback fetched or wrong error: %v", err)
	}
	for _, a := range []string{"127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "::1", "fe80::1", "100.64.0.1", "0.0.0.0", "::ffff:127.0.0.1"} {
		if !refused(netip.MustParseAddr(a)) {
			t.Errorf("%s not refused", a)
		}
	}
	for _, a := range []string{"8.8.8.8", "2001:4860:4860::8888", "111.13.1.1"} {
		if refused(netip.MustParseAddr(a)) {
			t.Errorf("%s refused", a)
		}
	}
}

// A redirect is checked as the first address is: here the first server
// is allowed and the one it redirects to stands for a private address.
func TestFetchRefusesRedirectToPrivate(t *testing.T) {
	private := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("metadata")) })
	public := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/latest", http.StatusFound)
	})
	pu, _ := url.Parse(private.URL)
	privateAP := netip.MustParseAddrPort(pu.Host)
	old := refusedAddr
	refusedAddr = func(ap netip.AddrPort) bool { return ap == privateAP }
	t.Cleanup(func() { refusedAddr = old })
	_, err := Fetch(context.Background(), public.URL, Options{})
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("redirect to a private address: %v", err)
	}
	if _, err := Fetch(context.Background(), private.URL, Options{}); err == nil {
		t.Fatal("private address fetched directly")
	}
}

func TestFetchRedirects(t *testing.T) {
	var s *httptest.Server
	s = serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/old":
			http.Redirect(w, r, "/new/report.txt", http.StatusMovedPermanently)
		case "/ftp":
			http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("报告正文"))
		}
	})
	res, err := Fetch(context.Background(), s.URL+"/old", allow)
	if err != nil || res.Final != s.URL+"/new/report.txt" || string(res.Data) != "报告正文" || !strings.HasPrefix(res.Name, "report-") {
		t.Fatalf("%v %+v", err, res)
	}
	if _, err := Fetch(context.Background(), s.URL+"/loop", allow); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	if _, err := Fetch(context.Background(), s.URL+"/ftp", allow); err == nil || !strings.Contains(err.Error(), "http") {
		t.Errorf("redirect to ftp: %v", err)
	}
	if _, err := Fetch(context.Background(), "file:///etc/passwd", allow); err == nil {
		t.Error("file: fetched")
	}
}

func TestFetchSizeLimit(t *testing.T) {
	big := strings.Repeat("报告", 1000)
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length
		}
		w.Write([]byte(big))
	})
	for _, p := range []string{"/sized", "/chunked"} {
		_, err := Fetch(context.Background(), s.URL+p, Options{AllowPrivate: true, MaxBytes: 1000})
		if err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := Fetch(context.Background(), s.URL+"/sized", Options{AllowPrivate: true, MaxBytes: 1 << 20}); err != nil {
		t.Error(err)
	}
}
