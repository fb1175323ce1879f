package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The history on the admin page: an upload and a skipped file are
// listed, newest first; the action filter keeps only the skipped one,
// with its reason.
func TestAdminHistoryPage(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	if resp := apiUpload(t, adminToken, "历史记录_2032.txt", "2032年白鹭湾区政府工作报告\n一、工作回顾\n白鹭湾生态廊道全线贯通。\n", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	if resp := apiUpload(t, adminToken, "扫描件.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("bad upload: %d", resp.StatusCode)
	}
	open(t, ctx, "/admin")
	if eval[int](t, ctx, `document.querySelectorAll('#token').length`) == 1 {
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#token`), adminToken))
		navigating(t, ctx, chromedp.KeyEvent(kb.Enter))
	}
	history := text(t, ctx, "#history")
	if !strings.Contains(history, "2032年白鹭湾区政府工作报告") || !strings.Contains(history, "扫描件.png") {
		t.Fatalf("history section: %s", history)
	}
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`#history`)))
	shot(t, ctx, "22-admin-history")
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`select[name=h_action]`), "skipped"))
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.history-filter button[type=submit]`)))
	rows := eval[int](t, ctx, `document.querySelectorAll('table.history tbody tr').length`)
	skipped := eval[int](t, ctx, `document.querySelectorAll('table.history tbody tr.act-skipped').length`)
	if rows == 0 || rows != skipped {
		t.Errorf("filtered by skipped: %d rows, %d skipped", rows, skipped)
	}
	if got := text(t, ctx, "table.history tbody tr"); !strings.Contains(got, "扫描件.png") || !strings.Contains(got, "跳过") {
		t.Errorf("the skipped upload: %q", got)
	}
	shot(t, ctx, "23-admin-history-skipped")
}
