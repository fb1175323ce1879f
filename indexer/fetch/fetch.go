// Package fetch reads a report from a web address, for `reportsearch
// index https://…` and the admin page's address field.
//
// A server that fetches addresses given by its users must not become a
// way into the network it sits in: only http and https are fetched, at
// most MaxRedirects redirects are followed (each to http or https), and
// every connection, the first and each redirect's, is refused when the
// address it dials is loopback, private, link-local, unspecified,
// multicast or shared (100.64.0.0/10), unless AllowPrivate is set (an
// intranet site). The check is made in the dialer on the resolved address
// actually dialed, so a name that resolves to a private address, or
// changes what it resolves to between a check and the connection (DNS
// rebinding), is refused too. Proxies from the environment are not used:
// they would dial on our behalf, unchecked.
//
// The body is read within a deadline (Timeout) and a size limit
// (MaxBytes). A page whose Content-Type header declares a charset is kept
// with that charset declared first in the page (a <meta> tag put before
// the content), so that the header wins over the page's own <meta>, as
// browsers do; the extractor reads declared charsets (and still prefers
// bytes that are valid UTF-8).
package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"syscall"
	"time"
)

// Defaults.
const (
	DefaultTimeout      = 60 * time.Second
	DefaultMaxBytes     = 50 << 20 // as an upload (web.DefaultMaxFileBytes)
	DefaultMaxRedirects = 5
)

// Options bound a fetch; zero fields take the defaults.
type Options struct {
	Timeout      time.Duration
	MaxBytes     int64
	MaxRedirects int
	// AllowPrivate allows loopback, private and link-local addresses
	// (--allow-private-addresses, for intranet sites).
	AllowPrivate bool
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	return o
}

// Result is a fetched report.
type Result struct {
	// URL is the address given, Final the one the body came from (after
	// redirects).
	URL, Final string
	// Name is a file name for the body: the last segment of the final
	// address's path, an extension from the Content-Type when it has
	// none, and a hash of the address given (two pages named index.html
	// from two sites are two files; the same address fetched again is
	// the same file, its report updated).
	Name        string
	ContentType string
	Data        []byte
}

// Error is an address that cannot be fetched, with the reason; it is
// the user's to fix (a 400 for the API).
type Error struct {
	URL    string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("fetching %s: %s", e.URL, e.Reason) }

// errPrivate is returned by the dialer for a refused address.
var errPrivate = errors.New("refused")

// refused reports the addresses a fetch may not dial without
// AllowPrivate.
func refused(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() ||
		shared.Contains(a) || thisNet.Contains(a)
}

// refusedAddr is the dialer's check (a variable for the tests, which
// have only loopback servers).
var refusedAddr = func(ap netip.AddrPort) bool { return refused(ap.Addr()) }

var (
	shared  = netip.MustParsePrefix("100.64.0.0/10")
	thisNet = netip.MustParsePrefix("0.0.0.0/8")
)

// client builds the HTTP client of one fetch.
func client(opt Options) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	if !opt.AllowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: cannot check the address %s", errPrivate, address)
			}
			if refusedAddr(ap) {
				return fmt.Errorf("%w: %s is a private, loopback or link-local address (give --allow-private-addresses to fetch intranet sites)", errPrivate, ap.Addr())
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		MaxIdleConns:          1,
		DisableKeepAlives:     true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   opt.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opt.MaxRedirects {
				return fmt.Errorf("more than %d redirects", opt.MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to %s: only http and https are fetched", req.URL.Scheme)
			}
			return nil
		},
	}
}

// Fetch reads the address raw within opt's limits.
func Fetch(ctx context.Context, raw string, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	fail := func(format string, args ...any) (*Result, error) {
		return nil, &Error{URL: raw, Reason: fmt.Sprintf(format, args...)}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return fail("not an address: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fail("only http and https addresses are fetched")
	}
	if u.Host == "" {
		return fail("the address has no host")
	}
	u.Fragment = ""
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fail("%v", err)
	}
	req.Header.Set("User-Agent", "reportsearch (report indexer)")
	resp, err := client(opt).Do(req)
	if err != nil {
		if errors.Is(err, errPrivate) {
			var reason string
			if _, after, ok := strings.Cut(err.Error(), errPrivate.Error()+": "); ok {
				reason = after
			}
			return fail("refused: %s", reason)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fail("no answer within %s", opt.Timeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			return fail("%v", ue.Err)
		}
		return fail("%v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail("the server answered %s", resp.Status)
	}
	if resp.ContentLength > opt.MaxBytes {
		return fail("larger than the limit of %s", limitText(opt.MaxBytes))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, opt.MaxBytes+1))
	if err != nil {
		return fail("reading the body: %v", err)
	}
	if int64(len(data)) > opt.MaxBytes {
		return fail("larger than the limit of %s", limitText(opt.MaxBytes))
	}
	ct := resp.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	if cs := params["charset"]; cs != "" && (mt == "text/html" || mt == "application/xhtml+xml") && validLabel(cs) {
		data = append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=`+cs+`">`+"\n"), data...)
	}
	return &Result{URL: raw, Final: resp.Request.URL.String(), Name: fileName(u.String(), resp.Request.URL, mt),
		ContentType: ct, Data: data}, nil
}

// validLabel accepts charset labels made of the characters labels use,
// so that a header cannot put markup into the page.
func validLabel(s string) bool {
	return len(s) <= 40 && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':')
	})
}

// extensions by media type, for names without one.
var extensions = map[string]string{
	"text/html":             ".html",
	"application/xhtml+xml": ".html",
	"text/plain":            ".txt",
	"text/markdown":         ".md",
	"application/pdf":       ".pdf",
	"application/msword":    ".doc",
	"application/rtf":       ".rtf",
	"text/rtf":              ".rtf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.oasis.opendocument.text":                                 ".odt",
	"application/ofd": ".ofd",
}

func fileName(given string, final *url.URL, mediaType string) string {
	base := path.Base(final.Path)
	if base == "/" || base == "." || base == "" {
		base = final.Hostname()
	}
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	if want, ok := extensions[mediaType]; ok && (ext == "" || mediaType == "text/html" && ext != ".html" && ext != ".htm") {
		if ext != "" && mediaType == "text/html" {
			stem = base // page.php → page.php-….html
		}
		ext = want
	}
	sum := sha256.Sum256([]byte(given))
	return stem + "-" + hex.EncodeToString(sum[:4]) + ext
}

func limitText(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
