package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"reportsearch/internal/fixtures"
)

// The readers of this wave each have a fuzz target on the part they parse
// (the zip around ODT and OFD parts is built by the target, so that the
// fuzzer spends its time on the XML): go test ./indexer/extract -fuzz FuzzRTF.

// checkResult asserts what every Extract result must keep: a skip with a
// reason, or blocks of valid single-line UTF-8 with levels in range.
func checkResult(t *testing.T, doc *Document, err error) {
	t.Helper()
	if err != nil {
		var skip *SkipError
		if !errors.As(err, &skip) {
			t.Fatalf("error that is not a skip: %v", err)
		}
		if skip.Reason == "" {
			t.Errorf("SkipError without reason: %v", err)
		}
		return
	}
	if len(doc.Blocks) == 0 {
		t.Errorf("document without blocks: %+v", doc)
	}
	if !utf8.ValidString(doc.Title) || strings.ContainsAny(doc.Title, "\r\n") {
		t.Errorf("bad title %q", doc.Title)
	}
	for _, b := range doc.Blocks {
		if !utf8.ValidString(b.Text) || strings.ContainsAny(b.Text, "\r\n\f\x00") || strings.TrimSpace(b.Text) == "" {
			t.Errorf("bad block %q", b.Text)
		}
		if b.Heading < 0 || b.Heading > 6 {
			t.Errorf("heading level %d out of range", b.Heading)
		}
	}
}

func FuzzRTF(f *testing.F) {
	f.Add(fixtures.RTF(f, rtfReport, fixtures.RTFOptions{CodePage: 936, Unicode: true, Header: "页眉", Footer: "页脚"}))
	f.Add(fixtures.RTF(f, rtfReport, fixtures.RTFOptions{CodePage: 936}))
	f.Add([]byte(`{\rtf1\ansi\ansicpg936{\upr{\'d6\'d0}{\*\ud{\u20013?}}}\uc0\u-10179\u-8704\par\pard\intbl a\cell\row}`))
	f.Add([]byte(`{\rtf1{\stylesheet{\s1\outlinelevel0 heading 1;}}\s1 T\par{\footnote n\par}\bin3 xyz\'`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, magicRTF) {
			data = append(append([]byte{}, magicRTF...), data...)
		}
		doc, err := Extract("a.rtf", data)
		checkResult(t, doc, err)
	})
}

func odtZip(content string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("mimetype")
	w.Write([]byte(odtMimeType))
	w, _ = zw.Create("content.xml")
	w.Write([]byte(content))
	zw.Close()
	return buf.Bytes()
}

func FuzzODT(f *testing.F) {
	odt := fixtures.ODT(f, rtfReport, fixtures.ODTOptions{Header: "页眉"})
	zr, err := zip.NewReader(bytes.NewReader(odt), int64(len(odt)))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range zr.File {
		if file.Name == "content.xml" {
			rc, _ := file.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			f.Add(b.String())
		}
	}
	f.Add(`<office:document-content><office:body><office:text><text:h text:outline-level="9">h</text:h><text:p>a<text:s text:c="3"/>b<text:note><text:note-body><text:p>n</text:p></text:note-body></text:note></text:p><table:table><table:table-row><table:table-cell><text:p>c</text:p></table:table-cell></table:table-row></table:table></office:text></office:body></office:document-content>`)
	f.Fuzz(func(t *testing.T, content string) {
		doc, err := Extract("a.odt", odtZip(content))
		checkResult(t, doc, err)
	})
}

func ofdZip(root, document, page string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range [][2]string{{"OFD.xml", root}, {"Doc_0/Document.xml", document}, {"Doc_0/Pages/Page_0/Content.xml", page}} {
		w, _ := zw.Create(f[0])
		w.Write([]byte(f[1]))
	}
	zw.Close()
	return buf.Bytes()
}

func FuzzOFD(f *testing.F) {
	const root = `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo><ofd:Title>t</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`
	const document = `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`
	ofd := fixtures.OFD(f, ofdReport, fixtures.OFDOptions{PerChar: true, CTM: true, Header: "页眉"})
	zr, err := zip.NewReader(bytes.NewReader(ofd), int64(len(ofd)))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range zr.File {
		if file.Name == "Doc_0/Pages/Page_0/Content.xml" {
			rc, _ := file.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			f.Add(root, document, b.String())
		}
	}
	f.Add(root, document, `<ofd:Page><ofd:Content><ofd:Layer><ofd:TextObject Boundary="10 10 100 5" Size="5" CTM="1 0 0 1 0 0"><ofd:TextCode X="0" Y="4" DeltaX="g 2 5 1">abcd</ofd:TextCode><ofd:TextCode>ef</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`)
	f.Fuzz(func(t *testing.T, root, document, page string) {
		doc, err := Extract("a.ofd", ofdZip(root, document, page))
		checkResult(t, doc, err)
	})
}
