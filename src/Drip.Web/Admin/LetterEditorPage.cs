using System.Globalization;
using System.Text;
using Drip.Authoring;
using Drip.Letters;
using Drip.Subscribers;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The editor for one letter's file: the whole file (front matter and body, as on disk) beside a line-number gutter
/// that marks problem lines, the subscriber chooser, and the preview: subject, HTML in a sandboxed frame (no script
/// runs in it), and plain text. Every control works as a plain form; <c>/admin/assets/editor.js</c> adds the live preview.
/// </summary>
internal static class LetterEditorPage
{
    public static IResult Render(HttpContext http, IAntiforgery antiforgery, TemplateLibrary library, EditorState state,
        IReadOnlyList<Subscriber> choices, int status)
    {
        var shownId = state.IsNew ? (LetterFiles.IsValidId(state.LetterId) ? state.LetterId : "untitled") : state.LetterId;
        var file = LetterFiles.Shown(library, shownId);
        var problems = state.Problems.Count > 0 ? state.Problems : state.Preview?.Problems ?? [];
        var basePath = state.IsNew ? "/admin/letters/new" : $"/admin/letters/{state.LetterId}";
        var html = new StringBuilder();
        html.Append("""<p><a href="/admin/letters">← All letters</a></p>""");
        if (state.Notice is { } notice)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="notice" role="status">{Html(notice)}</p>""");
        }
        if (state.Error is { } error)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">{Html(error)}</p>""");
        }
        if (state.Conflict is { } disk)
        {
            html.Append(Conflict(disk, state.Text));
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            <form id="letter-editor" method="post" action="{Html(state.IsNew ? basePath : basePath + "/edit")}" data-preview="{Html(basePath)}/preview"
                  data-file="{Html(file)}" data-token-header="{Html(AdminAuthentication.AntiforgeryHeader)}">
            {Token(http, antiforgery)}
            <input type="hidden" name="fingerprint" value="{Html(state.Fingerprint)}">
            {IdField(state)}
            {ProblemList(problems, file)}
            <div class="editor-grid">
            <section>
            <h2>{Html(file)}</h2>
            <div class="code"><pre class="gutter" id="gutter" data-line-marks aria-hidden="true">{Gutter(state.Text, problems, file)}</pre><textarea id="body" name="body" spellcheck="false" wrap="off" aria-label="The letter's file: front matter, then Markdown with Scriban">{Html(state.Text)}</textarea></div>
            <div class="editor-actions">
            <button type="submit" name="do" value="save">{(state.IsNew ? "Create the letter" : "Save")}</button>
            <button type="submit" name="do" value="preview">Preview</button>
            <button type="submit" formaction="{Html(basePath)}/test">Send a test to me</button>
            </div>
            <p class="muted">Saving checks this letter with every template in the folder and writes the file only when all of them pass;
            the engine uses it at once. A file changed on disk since you opened it is never overwritten without asking.</p>
            </section>
            <section>
            <h2>Preview</h2>
            <label class="chooser">As the subscriber with the address
            <input type="text" name="subscriber" list="subscriber-choices" value="{Html(state.Subscriber)}" placeholder="empty: a sample subscriber" autocomplete="off" inputmode="email"></label>
            <datalist id="subscriber-choices">{Choices(choices)}</datalist>
            <p class="muted">Shown as <span id="preview-as">{Html(state.Preview?.ShownAs ?? "")}</span>. Links are inert here and in tests.</p>
            <p class="muted" id="preview-status" aria-live="polite">{(state.Preview?.Letter is null ? "Fix the problems above to see the preview." : "")}</p>
            <div id="preview-subject" aria-label="Subject line">{Html(state.Preview?.Letter?.Subject)}</div>
            <iframe id="preview-html" sandbox="" title="The letter's HTML version" srcdoc="{Html(state.Preview?.Letter?.Html)}"></iframe>
            <h3>Plain text</h3>
            <pre id="preview-text">{Html(state.Preview?.Letter?.Text)}</pre>
            </section>
            </div>
            </form>
            <script src="/admin/assets/editor.js" defer></script>
            """);
        var title = state.IsNew ? "New letter" : $"Letter {state.LetterId}";
        return AdminPage.Render(title, AdminAssets.Stylesheet + html, http.User.Identity?.Name, http, antiforgery, status);
    }

    private static string IdField(EditorState state) => state.IsNew
        ? $"""
          <label class="field">Id, which is also the file name: <input type="text" name="id" value="{Html(state.LetterId)}" required maxlength="80"
            pattern="[a-z0-9][a-z0-9\-]*" title="lower-case letters, digits and dashes" placeholder="spring-sale-2026"></label>
          """
        : $"""<input type="hidden" name="id" value="{Html(state.LetterId)}">""";

    /// <summary>The problems, each at its line and column; a problem in this file is a link that puts the caret there.</summary>
    private static string ProblemList(IReadOnlyList<TemplateProblem> problems, string file)
    {
        var html = new StringBuilder($"""<ul class="problems" id="problems" aria-label="Problems"{(problems.Count == 0 ? " hidden" : "")}>""");
        foreach (var p in problems)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"line {p.Line}, column {p.Column}");
            html.Append(string.Equals(p.File, file, StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"""<li><a class="at" href="#body" data-line="{p.Line}" data-column="{p.Column}">{where}</a>: {Html(p.Message)}</li>""")
                : $"""<li>{Html(p.File)}, {where}: {Html(p.Message)}</li>""");
        }
        return html.Append("</ul>").ToString();
    }

    private static string Gutter(string text, IReadOnlyList<TemplateProblem> problems, string file)
    {
        var bad = problems.Where(p => string.Equals(p.File, file, StringComparison.Ordinal)).Select(p => p.Line).ToHashSet();
        var count = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Length;
        return string.Join('\n', Enumerable.Range(1, count).Select(n =>
            bad.Contains(n) ? string.Create(CultureInfo.InvariantCulture, $"<b>{n}</b>") : n.ToString(CultureInfo.InvariantCulture)));
    }

    private static string Choices(IReadOnlyList<Subscriber> choices) =>
        string.Concat(choices.Select(s => $"""<option value="{Html(s.Email)}">{Html(s.FullName ?? s.Email)}</option>"""));

    private static string Conflict(TemplateFile disk, string yours) => disk.Exists
        ? $"""
          <section class="conflict-box" role="alert">
          <h2>This file changed on disk since you opened it</h2>
          <p>Someone saved it in another window, or a commit changed it. Nothing was written. On the left is the file as it is on disk
          now, on the right your text, which is still in the editor below. Bring over what you need, then save again: that save
          replaces the disk version shown here with yours.</p>
          <div class="conflict"><div><h3>On disk now</h3><pre id="disk-version">{Html(disk.Text)}</pre></div>
          <div><h3>Yours (not saved)</h3><pre id="your-version">{Html(yours)}</pre></div></div>
          </section>
          """
        : $"""
          <section class="conflict-box" role="alert">
          <h2>This file was deleted on disk since you opened it</h2>
          <p>Nothing was written. Your text is still in the editor below; saving again creates the file anew.</p>
          </section>
          """;
}
