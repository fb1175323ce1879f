package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"reportsearch/internal/fixtures"
)

// wantLimit runs ExtractWith and checks that it gives a *SkipError for the
// named limit, within d (a hostile file must cost little).
func wantLimit(t *testing.T, name string, data []byte, lim Limits, limit string, d time.Duration) *SkipError {
	t.Helper()
	start := time.Now()
	doc, err := ExtractWith(context.Background(), name, data, lim)
	took := time.Since(start)
	var skip *SkipError
	if !errors.As(err, &skip) {
		t.Fatalf("ExtractWith(%q) = %+v, %v; want a skip for %s", name, doc, err, limit)
	}
	if skip.Limit != limit || !strings.Contains(skip.Reason, "(limit "+limit+")") {
		t.Errorf("skip = %q (Limit %q), want one naming %s", skip.Reason, skip.Limit, limit)
	}
	if took > d {
		t.Errorf("skipping took %s, want under %s", took, d)
	}
	t.Logf("%s: %q in %s", name, skip.Reason, took)
	return skip
}

func TestDefaultLimits(t *testing.T) {
	l := DefaultLimits()
	if l.MaxFileSize != 50<<20 || l.MaxZipMembers == 0 || l.MaxParagraphChars == 0 || l.ToolTimeout != time.Minute {
		t.Errorf("DefaultLimits() = %+v", l)
	}
	if got := (Limits{MaxPDFPages: 7}).WithDefaults(); got.MaxPDFPages != 7 || got.MaxElements != DefaultMaxElements {
		t.Errorf("WithDefaults kept %d pages, %d elements", got.MaxPDFPages, got.MaxElements)
	}
}

func TestZipBombs(t *testing.T) {
	const paragraphs500MB = 13_000_000 // of ~40 bytes
	t.Run("500 MB document.xml declared", func(t *testing.T) {
		data := fixtures.DOCXBomb(t, 500<<20, paragraphs500MB)
		t.Logf("docx of %s", sizeString(int64(len(data))))
		wantLimit(t, "bomb.docx", data, Limits{}, "MaxZipMemberSize", time.Second)
	})
	t.Run("header declares 60 MB, stream is 500 MB", func(t *testing.T) {
		// The header passes the size and ratio checks; the bytes do not.
		data := fixtures.DOCXBomb(t, 60<<20, paragraphs500MB)
		wantLimit(t, "bomb.docx", data, Limits{}, "MaxZipRatio", time.Second)
	})
	t.Run("header declares a small size", func(t *testing.T) {
		data := fixtures.DOCXBomb(t, 2000, paragraphs500MB)
		skip := wantSkip(t, "bomb.docx", data, "corrupt DOCX")
		if skip.Limit != "" || !strings.Contains(skip.Error(), "larger than its header says") {
			t.Errorf("skip = %v (Limit %q), want a corrupt header", skip, skip.Limit)
		}
	})
	t.Run("counted against the member limit", func(t *testing.T) {
		// With the ratio check out of the way, the bytes produced are
		// what stops the reading.
		data := fixtures.DOCXBomb(t, 500<<20, paragraphs500MB)
		lim := Limits{MaxZipRatio: 1 << 30, MaxZipMemberSize: 1 << 30, MaxZipTotalSize: 4 << 20}
		wantLimit(t, "bomb.docx", data, lim, "MaxZipTotalSize", time.Second)
	})
	t.Run("zeros at 1000:1", func(t *testing.T) {
		// A classic bomb: a megabyte that expands to a gigabyte (of
		// spaces, which the XML decoder reads as one text).
		stream := fixtures.DeflateRepeated(t, []byte("<w:document><w:body>"), bytes.Repeat([]byte(" "), 1<<20), 1<<10)
		data := fixtures.ZipRaw(t,
			fixtures.RawMember{Name: "word/document.xml", Method: zip.Deflate, Data: stream, Size: 60 << 20})
		t.Logf("zip of %s", sizeString(int64(len(data))))
		wantLimit(t, "zeros.docx", data, Limits{}, "MaxZipRatio", time.Second)
	})
}

func TestZipMembers(t *testing.T) {
	var files []string
	for i := range 12 {
		files = append(files, fmt.Sprintf("media/%d.png", i), "x")
	}
	data := docxFile(t, para("", "正文"), "", "")
	lim := Limits{MaxZipMembers: 10}
	wantLimit(t, "many.docx", zipFiles(t, files...), lim, "MaxZipMembers", time.Second)
	if _, err := ExtractWith(context.Background(), "ok.docx", data, lim); err != nil {
		t.Errorf("a DOCX of 4 parts under a limit of 10: %v", err)
	}
}

func TestZipDirectoryEntries(t *testing.T) {
	for _, n := range []int{0, 3, 0xffff, 0x10000 + 5} { // the last two need zip64
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range n {
			zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store})
		}
		zw.SetComment("a comment before which the record must be found")
		zw.Close()
		got, ok := zipDirectoryEntries(buf.Bytes())
		if !ok || got != uint64(n) {
			t.Errorf("%d entries: got %d, %v", n, got, ok)
		}
	}
	if _, ok := zipDirectoryEntries([]byte("PK\x03\x04 not a zip")); ok {
		t.Error("found a directory in a truncated zip")
	}
}

func TestZipMemberChecksum(t *testing.T) {
	// A member read to its end is checked against its CRC.
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + para("", "正文") + `</w:body></w:document>`
	member := func(crc uint32) []byte {
		return fixtures.ZipRaw(t, fixtures.RawMember{Name: "word/document.xml", Method: zip.Store,
			Data: []byte(doc), Size: uint64(len(doc)), CRC32: crc})
	}
	mustExtract(t, "ok.docx", member(crc32.ChecksumIEEE([]byte(doc))))
	if skip := wantSkip(t, "crc.docx", member(12345), "corrupt DOCX"); !errors.Is(skip, zip.ErrChecksum) {
		t.Errorf("skip = %v, want a checksum error", skip)
	}
}

func TestXMLLimits(t *testing.T) {
	deep := strings.Repeat("<w:sdt>", 300) + para("", "深处") + strings.Repeat("</w:sdt>", 300)
	wantLimit(t, "deep.docx", docxFile(t, deep, "", ""), Limits{}, "MaxXMLDepth", time.Second)

	many := strings.Repeat(para("", "段落"), 400) // 4 elements each
	wantLimit(t, "many.docx", docxFile(t, many, "", ""), Limits{MaxElements: 1000}, "MaxElements", time.Second)
	doc, err := ExtractWith(context.Background(), "ok.docx", docxFile(t, many, "", ""), Limits{MaxElements: 2000})
	if err != nil || len(doc.Blocks) != 400 {
		t.Errorf("under the element limit: %v", err)
	}

	// The styles part counts too, and its failure is not tolerated
	// when it is over a limit.
	styles := strings.Repeat(`<w:style w:styleId="s"><w:name w:val="x"/></w:style>`, 600)
	wantLimit(t, "styles.docx", docxFile(t, para("", "正文"), styles, ""), Limits{MaxElements: 1000}, "MaxElements", time.Second)
}

func TestHTMLElementLimit(t *testing.T) {
	page := "<html><body>" + strings.Repeat("<span>字</span>", 2000) + "</body></html>"
	wantLimit(t, "spans.html", []byte(page), Limits{MaxElements: 1000}, "MaxElements", time.Second)

	// Misnested formatting tags make the parser re-create them inside
	// every later paragraph: 10 KB that would build a DOM of 1.2 million
	// elements are refused before it is built.
	var b strings.Builder
	b.WriteString("<html><body><div>")
	for i := range 300 {
		fmt.Fprintf(&b, "<b id=%d>", i)
	}
	b.WriteString("</div>" + strings.Repeat("<p>x</p>", 4000) + "</body></html>")
	wantLimit(t, "formatting.html", []byte(b.String()), Limits{}, "MaxElements", time.Second)
}

func TestCountHTMLElements(t *testing.T) {
	// The estimate follows the parser (which also adds html, head and
	// body when they are missing).
	amplified := "<div>" + strings.Repeat("<b class=x>", 2) + "<i id=1><i id=2></div>" + strings.Repeat("<p>x</p>", 50)
	tests := []struct {
		name, html string
		want       int
	}{
		{"news page", govNewsPage, 71},
		{"layout page", gbkLayoutPage, 28},
		{"misnested formatting", amplified, 5 + 50*5},
		{"repeated unclosed font", strings.Repeat("<p><font face=宋体>text", 100), 3 + 100 + 3 + 99*4},
		{"links", strings.Repeat("<a href=x>a", 100), 103},
	}
	for _, tt := range tests {
		got, ok := countHTMLElements(tt.html, 1<<20)
		if !ok || got < tt.want*9/10 || got > tt.want*11/10 {
			t.Errorf("%s: %d elements counted, the parser builds %d", tt.name, got, tt.want)
		}
	}
}

func TestLongParagraphs(t *testing.T) {
	// A 10 MB page on one line becomes paragraphs of at most
	// MaxParagraphChars, cut at sentence ends, with no text lost.
	sentence := "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。"
	text := strings.Repeat(sentence, 10<<20/len(sentence))
	page := []byte("<html><body><p>" + text + "</p></body></html>")
	start := time.Now()
	doc := mustExtract(t, "one-line.html", page)
	t.Logf("%s one-line page: %d blocks in %s", sizeString(int64(len(page))), len(doc.Blocks), time.Since(start))
	var joined strings.Builder
	for _, b := range doc.Blocks {
		if n := utf8.RuneCountInString(b.Text); n > DefaultMaxParagraphChars {
			t.Fatalf("block of %d characters", n)
		}
		if !strings.HasSuffix(b.Text, "。") {
			t.Fatalf("block not cut at a sentence end: …%s", b.Text[len(b.Text)-12:])
		}
		joined.WriteString(b.Text)
	}
	if joined.String() != text {
		t.Error("text lost or changed by splitting")
	}

	// A title is a line too.
	title := strings.Repeat("标", 20000)
	doc = mustExtract(t, "t.html", []byte("<title>"+title+"</title><p>正文内容足够长的一段。</p>"))
	if n := utf8.RuneCountInString(doc.Title); n != DefaultMaxParagraphChars {
		t.Errorf("title of %d characters", n)
	}
}

func TestSplitParagraph(t *testing.T) {
	tests := []struct {
		name, text string
		max        int
		want       []string
	}{
		{"short", "一二三。四五", 10, []string{"一二三。四五"}},
		{"sentence end", "一二三。四五六七八。九十一", 8, []string{"一二三。", "四五六七八。", "九十一"}},
		{"closing quote stays", "他说“好。”然后走了很远很远", 8, []string{"他说“好。”", "然后走了很远很远"}},
		{"comma in the second half", "一二三四五，六七八九十", 8, []string{"一二三四五，", "六七八九十"}},
		{"hard cut", "一二三四五六七八九十", 4, []string{"一二三四", "五六七八", "九十"}},
		{"sentence too early: comma", "一。三四五六七八，十一二三四", 12, []string{"一。三四五六七八，", "十一二三四"}},
		{"latin", "One two. Three four five six", 12, []string{"One two. ", "Three four ", "five six"}},
		{"spaces dropped", "abc   def", 4, []string{"abc ", "def"}},
	}
	for _, tt := range tests {
		got := SplitParagraph(tt.text, tt.max)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: %q", tt.name, got)
		}
		for _, p := range got {
			if utf8.RuneCountInString(p) > tt.max {
				t.Errorf("%s: piece %q over %d", tt.name, p, tt.max)
			}
		}
	}
}

func TestParagraphLimit(t *testing.T) {
	lines := []byte(strings.Repeat("一行\n", 101))
	lim := Limits{MaxParagraphs: 100}
	for _, name := range []string{"a.txt", "a.md"} {
		wantLimit(t, name, lines, lim, "MaxParagraphs", time.Second)
	}
	wantLimit(t, "a.html", []byte("<body>"+strings.Repeat("<p>一段</p>", 101)), lim, "MaxParagraphs", time.Second)
	wantLimit(t, "a.docx", docxFile(t, strings.Repeat(para("", "一段"), 101), "", ""), lim, "MaxParagraphs", time.Second)
	// Splitting counts.
	long := []byte(strings.Repeat("字", 101*50))
	wantLimit(t, "long.txt", long, Limits{MaxParagraphs: 100, MaxParagraphChars: 50}, "MaxParagraphs", time.Second)
	// Blank lines are not paragraphs.
	mustExtract(t, "a.md", []byte(strings.Repeat("\n", 1<<20)+"正文"))
}

func TestFileSizeLimit(t *testing.T) {
	wantLimit(t, "a.txt", []byte("一二三四五六七八九十"), Limits{MaxFileSize: 10}, "MaxFileSize", time.Second)
}
