using Drip.Delivery;
using Drip.Letters;
using Drip.Rendering;
using Drip.Subscribers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Drip.Web.Api;

/// <summary>
/// The letters in templates/ under <c>/api/letters</c>: the list with each letter's problems, one letter, and
/// a preview rendered for one subscriber exactly as the dispatcher would, less tracking. A preview carries no
/// live unsubscribe token, so clicking around in it changes nothing for the person it was rendered for.
/// </summary>
internal static class LettersApi
{
    public static RouteGroupBuilder MapLettersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/letters").WithTags("Letters").RequireAuthorization();
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapGet("/{id}/preview", Preview);
        return group;
    }

    private static Ok<List<LetterSummary>> List(TemplateLibrary library, LetterLinter linter)
    {
        var problems = linter.Lint();
        return TypedResults.Ok(library.Letters.OrderBy(l => l.Id, StringComparer.Ordinal).Select(l => Summary(l, library, problems)).ToList());
    }

    private static Results<Ok<LetterDetail>, ProblemHttpResult> Get(string id, TemplateLibrary library, LetterLinter linter)
    {
        if (library.FindLetter(id) is not { } letter)
        {
            return NoLetter(id);
        }
        var summary = Summary(letter, library, linter.Lint());
        var sequences = library.Sequences.Where(s => s.Steps.Any(step => step.LetterId == letter.Id)).Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
        var programs = library.Programs.Where(p => p.Pool.Values.Any(pool => pool.Contains(letter.Id))).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new LetterDetail(summary.Id, summary.Kind, summary.Size, summary.Subject, summary.Path, letter.Layout, summary.Problems, sequences, programs));
    }

    private static Results<Ok<LetterPreview>, ValidationProblem, ProblemHttpResult> Preview(string id, string? email, Guid? subscriber,
        TemplateLibrary library, LetterRenderer renderer, ISubscriberStore subscribers, SenderOptions sender, PublicOptions publicOptions)
    {
        if (string.IsNullOrWhiteSpace(email) == (subscriber is null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["email"] = ["give either email or subscriber (the subscriber's id), not both"],
                ["subscriber"] = ["give either email or subscriber (the subscriber's id), not both"],
            }, title: "A preview is rendered for one subscriber");
        }
        if (library.FindLetter(id) is not { } letter)
        {
            return NoLetter(id);
        }
        var person = subscriber is { } subscriberId ? subscribers.Find(subscriberId) : subscribers.FindByEmail(email!);
        if (person is null)
        {
            return TypedResults.Problem($"no subscriber {(subscriber is { } g ? g.ToString() : email)}", statusCode: StatusCodes.Status404NotFound);
        }
        var context = new LetterContext($"{publicOptions.BaseUrl.TrimEnd('/')}/u/preview",
            new SenderIdentity(sender.Name, sender.Address, sender.PostalAddress), publicOptions.Links);
        try
        {
            var rendered = renderer.Render(letter, person, context);
            return TypedResults.Ok(new LetterPreview(letter.Id, person.Id, rendered.Subject, rendered.Preheader, rendered.Html, rendered.Text));
        }
        catch (RenderException e)
        {
            // The message is "file:line:column: what went wrong", the same as 'drip lint' prints.
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The letter does not render for this subscriber");
        }
    }

    private static LetterSummary Summary(Letter letter, TemplateLibrary library, IReadOnlyList<TemplateProblem> problems)
    {
        var path = TemplateLibrary.Relative(library.Root, letter.Path);
        return new LetterSummary(letter.Id, letter.Kind, letter.Size, letter.SubjectSource, path,
            problems.Where(p => p.File == path).Select(p => p.ToString()).ToList());
    }

    private static ProblemHttpResult NoLetter(string id) =>
        TypedResults.Problem($"no letter '{id}' in templates/letters/", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>A letter as listed: its subject as written (before rendering) and its lint problems as <c>file:line:column: message</c>.</summary>
internal sealed record LetterSummary(string Id, string Kind, string? Size, string Subject, string Path, IReadOnlyList<string> Problems);

/// <summary>One letter, with the sequences and programs that send it.</summary>
internal sealed record LetterDetail(string Id, string Kind, string? Size, string Subject, string Path, string Layout, IReadOnlyList<string> Problems,
    IReadOnlyList<string> Sequences, IReadOnlyList<string> Programs);

/// <summary>A letter rendered for one subscriber.</summary>
internal sealed record LetterPreview(string LetterId, Guid SubscriberId, string Subject, string? Preheader, string Html, string Text);
