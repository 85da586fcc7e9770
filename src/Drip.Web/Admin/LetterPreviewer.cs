using System.Text.RegularExpressions;
using Drip.Authoring;
using Drip.Delivery;
using Drip.Letters;
using Drip.Rendering;
using Drip.Subscribers;

namespace Drip.Web.Admin;

/// <summary>
/// Shows a letter as one subscriber will read it, from text that need not be saved yet: the text is checked with the
/// whole templates folder (<see cref="TemplateEditor.Preview"/>) and rendered from that candidate folder, so what the
/// preview shows is what a save would send. Links stay inert: no click tracking, no open pixel, and an unsubscribe link
/// that leads nowhere, because a preview or a test letter must never act for the subscriber it shows.
/// </summary>
internal sealed partial class LetterPreviewer(TemplateEditor editor, TemplatesOptions templates, SenderOptions sender,
    PublicOptions publicOptions, ISubscriberStore subscribers)
{
    /// <summary>The unsubscribe link a preview shows: the reserved .invalid domain never resolves.</summary>
    public const string InertUnsubscribeUrl = "https://drip.invalid/unsubscribe-preview";

    /// <summary>Renders <paramref name="text"/> as the file of letter <paramref name="letterId"/> for the subscriber with that address.</summary>
    public LetterPreview Render(string letterId, string text, string? subscriberEmail)
    {
        var (subscriber, shownAs) = Choose(subscriberEmail);
        var relative = LetterFiles.Relative(letterId);
        var edit = new Dictionary<string, string> { [relative] = text };
        var candidate = editor.Preview(relative, text);
        if (candidate is null)
        {
            return LetterPreview.Failed(editor.Check(edit), shownAs);
        }
        if (candidate.FindLetter(letterId) is not { } letter)
        {
            // A clean folder always holds the letter just parsed; this guards the page, not the engine.
            return LetterPreview.Failed([new TemplateProblem(LetterFiles.Shown(editor.Library, letterId), 1, 1, "the letter did not load")], shownAs);
        }
        try
        {
            var rendered = new LetterRenderer(candidate, templates.Limits).Render(letter, subscriber, Context(candidate, letterId));
            return new LetterPreview(rendered, [], shownAs);
        }
        catch (RenderException e)
        {
            // Lint renders with two made-up subscribers; a real one's data can still break a template (a loop limit, say).
            return LetterPreview.Failed([ProblemOf(e, LetterFiles.Shown(editor.Library, letterId))], shownAs);
        }
    }

    /// <summary>Renders a letter as saved, with the folder the engine uses now: what this subscriber would get from the next send.</summary>
    public LetterPreview RenderSaved(string letterId, Subscriber subscriber)
    {
        var shownAs = Describe(subscriber);
        var library = editor.Library;
        if (library.FindLetter(letterId) is not { } letter)
        {
            return LetterPreview.Failed([new TemplateProblem(LetterFiles.Shown(library, letterId), 1, 1, "no such letter")], shownAs);
        }
        try
        {
            return new LetterPreview(new LetterRenderer(library, templates.Limits).Render(letter, subscriber, Context(library, letterId)), [], shownAs);
        }
        catch (RenderException e)
        {
            return LetterPreview.Failed([ProblemOf(e, LetterFiles.Shown(library, letterId))], shownAs);
        }
    }

    /// <summary>The first subscribers on the list, to choose from.</summary>
    public IReadOnlyList<Subscriber> FirstSubscribers(int count) =>
        subscribers.Stream(new SubscriberFilter(null, new Dictionary<string, string>())).Take(count).ToList();

    private (Subscriber Subscriber, string ShownAs) Choose(string? email)
    {
        var sample = LetterLinter.SampleSubscriber();
        if (string.IsNullOrWhiteSpace(email))
        {
            return (sample, $"the sample subscriber {Describe(sample)}");
        }
        return subscribers.FindByEmail(email.Trim()) is { } found
            ? (found, Describe(found))
            : (sample, $"the sample subscriber {Describe(sample)} (no subscriber has the address {email.Trim()})");
    }

    private static string Describe(Subscriber s) => s.FullName is { } name ? $"{name} <{s.Email}>" : s.Email;

    private LetterContext Context(TemplateLibrary candidate, string letterId)
    {
        // A date letter gets its per-send values in the outbox; a preview shows made-up ones so the text reads whole.
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var trigger in candidate.Dates.Where(d => string.Equals(d.LetterId, letterId, StringComparison.OrdinalIgnoreCase)))
        {
            if (trigger.Field is not null)
            {
                values["years"] = "3";
            }
            if (trigger.DiscountCode)
            {
                values["discount_code"] = "PREVIEW-CODE";
            }
        }
        return new LetterContext(InertUnsubscribeUrl, new SenderIdentity(sender.Name, sender.Address, sender.PostalAddress), publicOptions.Links)
        {
            Values = values,
        };
    }

    private static TemplateProblem ProblemOf(RenderException e, string file)
    {
        var m = Located().Match(e.Message);
        return m.Success
            ? new TemplateProblem(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["message"].Value.Trim())
            : new TemplateProblem(file, 1, 1, e.Message);
    }

    // RenderException messages are "file:line:column: text" when the render knows where it stopped.
    [GeneratedRegex(@"^(?<file>[^:]+):(?<line>\d{1,9}):(?<column>\d{1,9}):(?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex Located();
}

/// <summary>A letter as the preview shows it, or the problems that stop it from rendering, and whom it is shown as.</summary>
internal sealed record LetterPreview(RenderedLetter? Letter, IReadOnlyList<TemplateProblem> Problems, string ShownAs)
{
    public static LetterPreview Failed(IReadOnlyList<TemplateProblem> problems, string shownAs) => new(null, problems, shownAs);
}

/// <summary>Where a letter's file lives, and which ids a new letter may take.</summary>
internal static partial class LetterFiles
{
    public static string Relative(string letterId) => $"letters/{letterId}.md";

    /// <summary>The file name problems carry for this letter (<c>templates/letters/ID.md</c>, named after the folder).</summary>
    public static string Shown(TemplateLibrary library, string letterId) =>
        Path.Combine(Path.GetFileName(library.Root), "letters", letterId + ".md");

    /// <summary>Lower-case letters, digits and dashes: the file name is the id, and the editor writes nothing else.</summary>
    public static bool IsValidId(string? id) => id is { Length: > 0 and <= 80 } && Id().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex Id();
}
