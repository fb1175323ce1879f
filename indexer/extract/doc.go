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
// # Bounded work
//
// Every file costs bounded time and memory, whatever it contains: the
// Limits (file size; zip members, their uncompressed size and compression
// ratio, checked against headers and against the bytes produced; XML depth
// and elements; the elements an HTML page would build; paragraphs per
// file; PDF pages; time and output of external tools) each give a skip
// naming the limit, found before the expensive step where possible. A
// paragraph over MaxParagraphChars is split at a sentence end rather than
// skipped (SplitParagraph). Damaged bytes in text are replaced, each run
// by one U+FFFD, and counted in Document.ReplacedBytes; only data of which
// more than a tenth is invalid or control characters is "binary".
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
// PDF word boxes are extracted by pdftotext from poppler-utils (Debian
// package poppler-utils) and laid out into lines, columns and pages here
// (pdflayout.go, pdfpages.go); without it PDFs are skipped with a message
// naming the package. Pages without text are read by OCR (pdfocr.go:
// pdftoppm, and tesseract with chi_sim from tesseract-ocr
// tesseract-ocr-chi-sim); without tesseract a scanned PDF is skipped
// naming those packages. Legacy .doc and .wps files are converted to DOCX by LibreOffice
// (Debian package libreoffice-writer-nogui; see office.go), likewise.
// External programs run through runTool (tool.go): in a process group of
// their own, killed as a whole after Limits.ToolTimeout, on cancellation or
// beyond Limits.MaxToolOutput, with errors (*ToolError) that name the
// program and the limit.
package extract
