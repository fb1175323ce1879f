// Package extract turns the bytes of a report file (政府工作报告 and similar
// documents) into an ordered list of text blocks for indexing.
//
// Extract is the single entry point. It recognises plain text, Markdown,
// HTML, DOCX, RTF, ODT, OFD, PDF and (through LibreOffice) .doc and .wps,
// and returns a Document whose Blocks are paragraphs (or
// lines, or table rows) in reading order.
//
// # Formats are detected from content
//
// Report collections are full of misnamed files: Word "web pages" saved as
// .doc, HTML pages saved as .txt, PDFs and DOCX files without an extension,
// GBK text next to UTF-8 text. So the format comes from the bytes: magic
// numbers for PDF, RTF, OLE2 (a WordDocument stream tells .doc/.wps from
// .xls/.ppt), zip (then the package's main part tells DOCX from ODT, OFD,
// XLSX, PPTX...) and the binary formats that are refused (images,
// archives); the first tag for HTML; otherwise the data must decode as text
// (UTF-8, UTF-16 with BOM, or cleanly and plausibly as GB18030 or Big5). The file
// name's extension is only a hint where the content cannot decide: Markdown
// and plain text look alike, so .md/.markdown selects Markdown.
//
// Files that cannot be used give a *SkipError saying why (empty, too large,
// binary, unsupported or corrupt, pdftotext missing, no text), so that an
// indexer can log and continue; any other error is an environment problem.
//
// # Where headings come from
//
// Block.Heading is set only when the format itself marks a heading: HTML
// h1-h6, DOCX paragraph styles (Heading N, Title, their Chinese names
// 标题 N, or an outline level) and Markdown # headings. Plain text and PDF
// carry no such markup, so their blocks are all body text; recognising
// headings from their wording (第一部分, 一、, （一）) is the job of a later
// stage, as are re-joining lines that were hard-wrapped in text and PDF
// files and cleaning whitespace: this package keeps each line's own text
// (including leading full-width spaces) so that the later stage has the
// evidence it needs.
//
// # HTML pages
//
// Pages saved from government and news sites carry navigation, breadcrumbs
// (当前位置：首页 > 要闻), font-size and print widgets (【字号：大 中 小】 打印
// 关闭), share bars and copyright footers around the article. extractHTML
// keeps only the article body, using tag and id/class names and a
// readability-style choice of the main content container; see its comment.
//
// # External tools
//
// PDF text is extracted by pdftotext from poppler-utils (Debian package
// poppler-utils), run with a 60 s timeout; without it PDFs are skipped with
// a message naming the package. Legacy .doc and .wps files are converted
// to DOCX by LibreOffice (Debian package libreoffice-writer-nogui; see
// office.go), likewise.
package extract
