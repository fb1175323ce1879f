package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// damagedReport is about 10 KB of report text.
var damagedReport = strings.Repeat("过去一年，全省经济运行稳中向好，地区生产总值增长5.4%，城市更新行动扎实推进。\n", 90)

// damage overwrites the bytes at offsets with b and returns the text as
// it should read: every character hit replaced by one U+FFFD.
func damage(data []byte, text string, offsets []int, b byte, charStart func(i int) int) string {
	hit := map[int]bool{}
	for _, off := range offsets {
		data[off] = b
		hit[charStart(off)] = true
	}
	var want strings.Builder
	for i, r := range text {
		if hit[i] {
			want.WriteRune(utf8.RuneError)
		} else {
			want.WriteRune(r)
		}
	}
	return want.String()
}

func TestDamagedUTF8(t *testing.T) {
	data := []byte(damagedReport)
	offsets := []int{100, 2001, 4002, 7000, 9500} // inside Chinese characters
	for _, off := range offsets {
		if data[off] < 0x80 {
			t.Fatalf("offset %d is ASCII", off)
		}
	}
	want := damage(data, damagedReport, offsets, 0xff, func(i int) int {
		for !utf8.RuneStart(damagedReport[i]) {
			i--
		}
		return i
	})
	doc := mustExtract(t, "damaged.txt", data)
	if doc.Encoding != EncodingUTF8 {
		t.Errorf("Encoding = %q", doc.Encoding)
	}
	if got := blocksText(doc); got != strings.TrimSuffix(want, "\n") {
		t.Errorf("text differs from the report with one U+FFFD per damaged character")
	}
	if n := strings.Count(blocksText(doc), "\uFFFD"); n != 5 {
		t.Errorf("%d U+FFFD, want 5", n)
	}
	// Each damaged character was three bytes, all of them invalid now.
	if doc.ReplacedBytes != 15 {
		t.Errorf("ReplacedBytes = %d, want 15", doc.ReplacedBytes)
	}

	// One damaged byte in a single line is still UTF-8.
	short := []byte("政府工作报告：过去一年经济运行稳中向好。")
	short[4] = 0xff
	doc = mustExtract(t, "short.txt", short)
	if doc.Encoding != EncodingUTF8 || doc.Blocks[0].Text != "政\uFFFD工作报告：过去一年经济运行稳中向好。" {
		t.Errorf("%s: %q", doc.Encoding, doc.Blocks[0].Text)
	}
}

func TestDamagedGB18030(t *testing.T) {
	data := gbk(t, damagedReport)
	// Damage trail bytes (the second byte of a two-byte character): the
	// character becomes one U+FFFD and the text after it is intact. A
	// damaged lead byte would shift the pairing up to the next ASCII
	// character (GB18030 does not resynchronise); nothing can tell.
	starts := map[int]int{} // byte offset → offset of its character in damagedReport
	i := 0
	for j, r := range damagedReport {
		starts[i] = j
		if i++; r >= utf8.RuneSelf {
			starts[i] = j
			i++
		}
	}
	var offsets []int
	for _, off := range []int{101, 1501, 3001, 4501, 6001} {
		for data[off-1] < 0x80 || starts[off-1] != starts[off] {
			off++ // the trail byte of a two-byte character
		}
		offsets = append(offsets, off)
	}
	want := damage(data, damagedReport, offsets, 0xff, func(i int) int { return starts[i] })
	doc := mustExtract(t, "damaged.txt", data)
	if doc.Encoding != EncodingGB18030 {
		t.Errorf("Encoding = %q", doc.Encoding)
	}
	if got := blocksText(doc); got != strings.TrimSuffix(want, "\n") {
		t.Errorf("text differs from the report with one U+FFFD per damaged character")
	}
	if doc.ReplacedBytes != 10 {
		t.Errorf("ReplacedBytes = %d, want 10 (lead and damaged trail of 5 characters)", doc.ReplacedBytes)
	}
}

func TestDamagedUTF16(t *testing.T) {
	data := utf16LE(t, "政府工作报告\n过去一年，全省经济运行稳中向好")
	data = append(data[:6], append([]byte{0x00, 0xd8}, data[6:]...)...) // an unpaired high surrogate
	doc := mustExtract(t, "a.txt", data)
	if doc.Blocks[0].Text != "政府\uFFFD工作报告" || doc.ReplacedBytes != 2 {
		t.Errorf("%q, %d replaced", doc.Blocks[0].Text, doc.ReplacedBytes)
	}
	doc = mustExtract(t, "a.txt", append(utf16LE(t, "正文"), 'x'))
	if doc.Blocks[0].Text != "正文\uFFFD" || doc.ReplacedBytes != 1 {
		t.Errorf("odd length: %q, %d replaced", doc.Blocks[0].Text, doc.ReplacedBytes)
	}
}

func TestDamagedHTMLAndMarkdown(t *testing.T) {
	page := []byte("<html><head><meta charset=utf-8><title>报告</title></head><body><p>" + damagedReport + "</p></body></html>")
	page[len(page)-100] = 0xff
	doc := mustExtract(t, "a.html", page)
	if doc.ReplacedBytes == 0 || strings.Count(blocksText(doc), "\uFFFD") != 1 {
		t.Errorf("HTML: %d replaced, %d U+FFFD", doc.ReplacedBytes, strings.Count(blocksText(doc), "\uFFFD"))
	}
	md := []byte("# 报告\n\n" + damagedReport)
	md[50] = 0xff
	doc = mustExtract(t, "a.md", md)
	if doc.ReplacedBytes == 0 || strings.Count(blocksText(doc), "\uFFFD") != 1 {
		t.Errorf("Markdown: %d replaced, %d U+FFFD", doc.ReplacedBytes, strings.Count(blocksText(doc), "\uFFFD"))
	}
}

func TestBinaryThreshold(t *testing.T) {
	// Random bytes read as GB18030 are a fifth invalid or control
	// characters; text with a tenth of them is not text either.
	r := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 8192)
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	wantSkip(t, "random.txt", random, "not text")
	text := []byte(strings.Repeat("正文", 2000))
	for i := 0; i < len(text); i += 9 { // 11% of the bytes
		text[i] = 0x01
	}
	wantSkip(t, "controls.txt", text, "not text", "control")
}

// blocksText joins the blocks of doc with newlines.
func blocksText(doc *Document) string {
	lines := make([]string, len(doc.Blocks))
	for i, b := range doc.Blocks {
		lines[i] = b.Text
	}
	return strings.Join(lines, "\n")
}
