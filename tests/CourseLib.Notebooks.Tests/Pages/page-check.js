// Appended to a copy of a page by HtmlPagesTests; once the charts have drawn, writes one line per problem found
// into a pre element with id page-check (empty: none), which headless Chromium's --dump-dom returns.
(function () {
  function rect(e) { var r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; }
  function overlap(a, b) { return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1; }
  function text(e) { return (e.textContent || "").replace(/\s+/g, " ").trim().slice(0, 80); }
  function check() {
    var problems = [];
    // Maths: KaTeX typeset every formula, and no TeX delimiter is left in the prose.
    document.querySelectorAll("main .math").forEach(function (e) {
      if (!e.querySelector(".katex")) problems.push("maths not typeset: " + text(e));
    });
    document.querySelectorAll(".katex-error").forEach(function (e) { problems.push("KaTeX cannot read: " + (e.getAttribute("title") || text(e))); });
    var walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        for (var p = n.parentElement; p; p = p.parentElement)
          if (p.matches("pre, code, script, style, .katex, .courselib-plot, div.output")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      var m = /\$\$|\$[^$\s][^$]*\$|\\\(|\\\[|\\(frac|sum|theta|mathbb|underbrace|begin|left|right|nabla|pi|gamma|alpha)\b/.exec(n.nodeValue);
      if (m) problems.push("raw TeX in the prose: \"" + n.nodeValue.replace(/\s+/g, " ").trim().slice(0, 100) + "\"");
    }
    // Charts: each drew (plotly's .main-svg) and its title is clear of the mode bar and the play button.
    document.querySelectorAll(".courselib-plot").forEach(function (plot, i) {
      var title = plot.querySelector(".gtitle");
      var name = "chart " + (i + 1) + (title ? " \"" + text(title) + "\"" : "");
      if (!plot.querySelector(".main-svg")) { problems.push(name + " did not draw"); return; }
      if (!title) return;
      var t = rect(title);
      plot.querySelectorAll(".modebar, .updatemenu-container .updatemenu-button").forEach(function (cover) {
        if (overlap(t, rect(cover))) problems.push(name + ": title under the " + (cover.classList.contains("modebar") ? "mode bar" : "play button"));
      });
      var p = rect(plot);
      if (t.l < p.l - 1 || t.r > p.r + 1 || t.t < p.t - 1) problems.push(name + ": title cut off");
    });
    var out = document.createElement("pre");
    out.id = "page-check";
    out.textContent = problems.join("\n");
    document.body.appendChild(out);
  }
  window.addEventListener("load", function () { setTimeout(check, 3000); });
})();
