// The letter editor's live preview, served by Drip itself (no CDN). Without this script the page still works:
// the Preview button posts the whole form and the server answers with the same preview.
(function () {
  "use strict";
  var form = document.getElementById("letter-editor");
  if (!form) { return; }
  var body = form.querySelector("textarea[name=body]");
  var subscriber = form.querySelector("input[name=subscriber]");
  var gutter = document.getElementById("gutter");
  var subject = document.getElementById("preview-subject");
  var frame = document.getElementById("preview-html");
  var text = document.getElementById("preview-text");
  var shownAs = document.getElementById("preview-as");
  var problems = document.getElementById("problems");
  var status = document.getElementById("preview-status");
  var tokenField = form.querySelector("input[name=__RequestVerificationToken]");
  var thisFile = form.getAttribute("data-file");
  var asked = 0;
  var timer = null;
  var badLines = {};

  function drawGutter() {
    var count = body.value.split("\n").length;
    var lines = [];
    for (var i = 1; i <= count; i++) {
      lines.push(badLines[i] ? "<b>" + i + "</b>" : String(i));
    }
    gutter.innerHTML = lines.join("\n");
    gutter.scrollTop = body.scrollTop;
  }

  // Puts the caret at a 1-based line and column of the text.
  function goTo(line, column) {
    var lines = body.value.split("\n");
    var offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { offset += lines[i].length + 1; }
    var target = Math.min(offset + Math.max(0, column - 1), body.value.length);
    body.focus();
    body.setSelectionRange(target, target);
    var lineHeight = body.scrollHeight / Math.max(1, lines.length);
    body.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  function showProblems(list) {
    badLines = {};
    problems.textContent = "";
    list.forEach(function (p) {
      var item = document.createElement("li");
      var where = "line " + p.line + ", column " + p.column;
      if (p.file === thisFile) {
        badLines[p.line] = true;
        var link = document.createElement("a");
        link.href = "#body";
        link.className = "at";
        link.setAttribute("data-line", p.line);
        link.setAttribute("data-column", p.column);
        link.textContent = where;
        item.appendChild(link);
      } else {
        item.appendChild(document.createTextNode(p.file + ", " + where));
      }
      item.appendChild(document.createTextNode(": " + p.message));
      problems.appendChild(item);
    });
    problems.hidden = list.length === 0;
    drawGutter();
  }

  function refresh() {
    var mine = ++asked;
    status.textContent = "Updating preview…";
    var data = new URLSearchParams(new FormData(form));
    var headers = { "Content-Type": "application/x-www-form-urlencoded" };
    headers[form.getAttribute("data-token-header")] = tokenField ? tokenField.value : "";
    fetch(form.getAttribute("data-preview"), { method: "POST", body: data, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("the server answered " + response.status); }
        return response.json();
      })
      .then(function (preview) {
        if (mine !== asked) { return; } // a newer keystroke's answer is on its way
        showProblems(preview.problems);
        shownAs.textContent = preview.shownAs;
        if (preview.html !== null) {
          subject.textContent = preview.subject;
          frame.srcdoc = preview.html;
          text.textContent = preview.text;
          status.textContent = "";
        } else {
          status.textContent = "The preview shows the last version that rendered; fix the problems above to update it.";
        }
      })
      .catch(function (error) {
        if (mine === asked) { status.textContent = "Preview not updated: " + error.message; }
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  body.addEventListener("input", function () { drawGutter(); soon(); });
  body.addEventListener("scroll", function () { gutter.scrollTop = body.scrollTop; });
  if (window.ResizeObserver) { // the text area can be made taller; the gutter follows
    new ResizeObserver(function () { gutter.style.height = body.offsetHeight + "px"; }).observe(body);
  }
  subscriber.addEventListener("change", soon);
  subscriber.addEventListener("input", soon);
  problems.addEventListener("click", function (e) {
    var link = e.target.closest("a.at");
    if (!link) { return; }
    e.preventDefault();
    goTo(Number(link.getAttribute("data-line")), Number(link.getAttribute("data-column")));
  });
  document.querySelectorAll("[data-line-marks] b").forEach(function (b) { badLines[Number(b.textContent)] = true; });
  drawGutter();
})();
