// Small niceties on top of server-rendered pages that work without it.
"use strict";
(function () {
  // Ask before destructive admin actions (forms with data-confirm).
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  });

  // Reader: the keys n / p jump to the next / previous match.
  var hits = Array.prototype.slice.call(document.querySelectorAll(".para.match"));
  if (hits.length) {
    var current = function () {
      var id = location.hash.slice(1);
      for (var i = 0; i < hits.length; i++) {
        if (hits[i].id === id) return i;
      }
      return -1;
    };
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.altKey || ev.ctrlKey || ev.metaKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var i = current();
      var next = null;
      if (ev.key === "n") next = hits[Math.min(hits.length - 1, i + 1)];
      if (ev.key === "p") next = hits[Math.max(0, i - 1)];
      if (next) {
        location.hash = "#" + next.id;
        next.focus({ preventScroll: true });
      }
    });
  }
  // Focus the paragraph a link opened, so that keyboard users continue
  // reading from there.
  function focusTarget() {
    var el = location.hash && document.getElementById(location.hash.slice(1));
    if (el && el.classList.contains("para")) el.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", focusTarget);
  focusTarget();
})();

// Search page: fetch the collocates box (相关词) from its page, where it
// is also reachable as a plain link.
(function () {
  var box = document.querySelector("#related-box[data-src]");
  if (!box || !window.fetch || !window.DOMParser) return;
  fetch(box.getAttribute("data-src"), { credentials: "same-origin" }).then(function (r) {
    return r.ok ? r.text() : null;
  }).then(function (html) {
    if (!html) return;
    var got = new DOMParser().parseFromString(html, "text/html").getElementById("related-box");
    if (got) box.replaceWith(document.importNode(got, true));
  }).catch(function () {});
})();
