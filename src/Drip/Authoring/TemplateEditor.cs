using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Cadence;
using Drip.Letters;
using Drip.Rendering;

namespace Drip.Authoring;

/// <summary>
/// The one way an edit reaches the templates folder, whether it comes from the browser or from git. The files
/// under <c>templates/</c> are the single source of truth: the browser reads them and writes them back, and the
/// running engine adopts the folder only when all of it passes lint. An edit is checked as part of the whole
/// folder (a sequence that names a letter, a program's pool) before anything is written; a save names the version
/// of the file it was made from, and is refused when the file changed on disk since, so a browser edit never
/// silently overwrites a commit and a commit never silently overwrites a browser edit.
/// </summary>
public sealed partial class TemplateEditor(TemplateLibrary library, RenderLimits limits)
{
    /// <summary>The folders the editor may write, with the extension their files have.</summary>
    public static readonly IReadOnlyDictionary<string, string> Folders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["letters"] = ".md",
        ["programs"] = ".yml",
        ["sequences"] = ".yml",
        ["dates"] = ".yml",
        ["layouts"] = ".sbn",
    };

    // One save at a time: the check, the write and the adoption are one step.
    private readonly Lock _gate = new();

    /// <summary>Problems found on disk that kept the last reload from being adopted (say, a half-finished edit in git).</summary>
    public IReadOnlyList<TemplateProblem> Pending { get; private set; } = [];

    public TemplateLibrary Library => library;

    /// <summary>Reads a file for editing; a file that does not exist yet opens empty with <see cref="TemplateFile.Exists"/> false.</summary>
    public TemplateFile Open(string relative)
    {
        var path = Resolve(relative);
        return File.Exists(path)
            ? new TemplateFile(relative, Normalise(File.ReadAllText(path)), Fingerprint(path), true)
            : new TemplateFile(relative, "", "", false);
    }

    /// <summary>What lint would say of the whole folder with these edits (relative path → text) in place. Writes nothing.</summary>
    public IReadOnlyList<TemplateProblem> Check(IReadOnlyDictionary<string, string> edits) => Candidate(edits).Problems;

    /// <summary>The folder as it would be with one edit in place, for a preview; null when it does not load cleanly.</summary>
    public TemplateLibrary? Preview(string relative, string text)
    {
        var (candidate, problems) = Candidate(new Dictionary<string, string> { [relative] = text });
        return problems.Count == 0 ? candidate : null;
    }

    /// <summary>
    /// Writes one file if the whole folder still passes lint with it, and only if the file on disk is still the version
    /// the edit started from (<paramref name="baseFingerprint"/>; empty for a new file). The engine uses it at once.
    /// </summary>
    public SaveOutcome Save(string relative, string text, string baseFingerprint)
    {
        var path = Resolve(relative);
        text = Normalise(text);
        lock (_gate)
        {
            var onDisk = File.Exists(path) ? Fingerprint(path) : "";
            if (!string.Equals(onDisk, baseFingerprint, StringComparison.Ordinal))
            {
                return SaveOutcome.Conflict(Open(relative));
            }
            var (candidate, problems) = Candidate(new Dictionary<string, string> { [relative] = text });
            if (problems.Count > 0)
            {
                return SaveOutcome.Refused(problems);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".saving";
            File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, path, overwrite: true); // a reader sees the old file or the new one, never half
            library.Adopt(candidate);
            Pending = [];
            return SaveOutcome.Saved(Fingerprint(path));
        }
    }

    /// <summary>
    /// Reads the folder again (after a <c>git pull</c> or an edit in a text editor). A folder that passes lint is adopted;
    /// one that does not is kept out, the engine goes on with what it had, and the problems are kept in <see cref="Pending"/>.
    /// </summary>
    public IReadOnlyList<TemplateProblem> Reload()
    {
        lock (_gate)
        {
            var (candidate, problems) = Candidate(new Dictionary<string, string>());
            if (problems.Count == 0)
            {
                library.Adopt(candidate);
            }
            Pending = problems;
            return problems;
        }
    }

    private (TemplateLibrary Candidate, IReadOnlyList<TemplateProblem> Problems) Candidate(IReadOnlyDictionary<string, string> edits)
    {
        var full = edits.ToDictionary(kv => Resolve(kv.Key), kv => Normalise(kv.Value), StringComparer.Ordinal);
        var candidate = TemplateLibrary.Load(library.Root, library.Kinds, full);
        var problems = new LetterLinter(candidate, new LetterRenderer(candidate, limits)).Lint();
        return (candidate, problems);
    }

    /// <summary>Maps <c>letters/thank-you.md</c> (or <c>cadence.yml</c>) to its full path, refusing anything outside the editable files.</summary>
    public string Resolve(string relative)
    {
        if (string.Equals(relative, CadenceFile.FileName, StringComparison.Ordinal))
        {
            return Path.Combine(library.Root, CadenceFile.FileName); // the frequency caps: the one file at the top of the folder
        }
        var parts = (relative ?? "").Split('/');
        if (parts.Length != 2 || !Folders.TryGetValue(parts[0], out var extension) || !FileName().IsMatch(parts[1])
            || !parts[1].EndsWith(extension, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{relative}' is not an editable template: use letters/NAME.md, programs/NAME.yml, sequences/NAME.yml, dates/NAME.yml, layouts/NAME.sbn or cadence.yml, with NAME in lower-case letters, digits and dashes",
                nameof(relative));
        }
        return Path.Combine(library.Root, parts[0], parts[1]);
    }

    /// <summary>The file as lint names it in a problem, e.g. <c>templates/programs/weekly.yml</c>.</summary>
    public string Shown(string relative) => TemplateLibrary.Relative(library.Root, Resolve(relative));

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Fingerprint(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16];

    // Letters, digits, dashes; a layout also has its part (base.html.sbn). No dot-dot, no slash, no leading dot.
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*(\\.(html|txt))?\\.(md|yml|sbn)$")]
    private static partial Regex FileName();
}

/// <summary>A template file as the editor opened it: its text and the fingerprint a save must name.</summary>
public sealed record TemplateFile(string Relative, string Text, string Fingerprint, bool Exists);

/// <summary>What became of a save: written, refused for problems (nothing written), or in conflict with a newer file on disk.</summary>
public sealed record SaveOutcome(bool IsSaved, string? Fingerprint, IReadOnlyList<TemplateProblem> Problems, TemplateFile? OnDisk)
{
    public static SaveOutcome Saved(string fingerprint) => new(true, fingerprint, [], null);

    public static SaveOutcome Refused(IReadOnlyList<TemplateProblem> problems) => new(false, null, problems, null);

    public static SaveOutcome Conflict(TemplateFile onDisk) => new(false, null, [], onDisk);

    public bool IsConflict => OnDisk is not null;
}
