using System.Globalization;
using Drip.Engagement;
using Drip.History;
using Drip.Subscribers;
using Drip.Web.Commands;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Drip.Web.Api;

/// <summary>
/// Subscribers over REST: create, read, change, erase, search in keyset pages, timeline, CSV import and
/// forget-by-email. Every route requires an API key; errors are <c>application/problem+json</c>.
/// </summary>
internal static class SubscribersApi
{
    private const string How = "api";

    public static RouteGroupBuilder MapSubscribersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/subscribers").WithTags("Subscribers");
        group.RequireAuthorization();
        group.MapGet("/", Search);
        group.MapPost("/", Create);
        group.MapGet("/{id:guid}", Get);
        group.MapPatch("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete);
        group.MapGet("/{id:guid}/timeline", Timeline);
        group.MapPost("/import", ImportAsync).Accepts<string>("text/csv");
        group.MapPost("/forget", ForgetAsync);
        return group;
    }

    private static Results<Ok<SubscriberList>, ValidationProblem> Search(
        string? q, string? status, string? engagement, string? field, string? after, int? limit,
        ISubscriberStore subscribers, EngagementJudge judge, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (SubscriberSearchRequest.Parse(q, status, engagement, field, after, limit, judge, now) is not { Query: { } query } parsed)
        {
            return TypedResults.ValidationProblem(SubscriberSearchRequest.Errors(q, status, engagement, field, after, limit, judge, now));
        }
        var page = subscribers.Search(query);
        var next = page.NextCursor is { } cursor ? "/api/subscribers" + parsed.QueryString(cursor) : null;
        return TypedResults.Ok(new SubscriberList([.. page.Items.Select(s => SubscriberView.Of(s, judge, now))], next, page.NextCursor));
    }

    private static Results<Created<SubscriberView>, ValidationProblem, ProblemHttpResult> Create(
        CreateSubscriberRequest body, SubscriberEditor editor, EngagementJudge judge, TimeProvider clock)
    {
        var result = editor.Create(new SubscriberDraft(body.Email, body.FirstName, body.MiddleName, body.LastName, body.TimeZone, body.Locale,
            body.Fields, body.ConsentSource), How);
        return result.Outcome switch
        {
            EditOutcome.Done => TypedResults.Created($"/api/subscribers/{result.Subscriber!.Id}", SubscriberView.Of(result.Subscriber, judge, clock.GetUtcNow())),
            EditOutcome.Invalid => TypedResults.ValidationProblem(result.Errors),
            _ => TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status409Conflict, title: "The subscriber exists"),
        };
    }

    private static Results<Ok<SubscriberView>, ProblemHttpResult> Get(Guid id, ISubscriberStore subscribers, EngagementJudge judge, TimeProvider clock) =>
        subscribers.Find(id) is { } s ? TypedResults.Ok(SubscriberView.Of(s, judge, clock.GetUtcNow())) : NotFound(id);

    private static Results<Ok<SubscriberView>, ValidationProblem, ProblemHttpResult> Update(
        Guid id, UpdateSubscriberRequest body, SubscriberEditor editor, EngagementJudge judge, TimeProvider clock)
    {
        var result = editor.Update(id, new SubscriberChanges(body.FirstName, body.MiddleName, body.LastName, body.TimeZone, body.Locale,
            body.Fields, body.Status), How);
        return result.Outcome switch
        {
            EditOutcome.Done => TypedResults.Ok(SubscriberView.Of(result.Subscriber!, judge, clock.GetUtcNow())),
            EditOutcome.Invalid => TypedResults.ValidationProblem(result.Errors),
            EditOutcome.NotFound => NotFound(id),
            _ => TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status409Conflict, title: "The status cannot change that way"),
        };
    }

    /// <summary>Erasure: the record, timeline, sends and events go; the address's hash stays suppressed.</summary>
    private static Results<NoContent, ProblemHttpResult> Delete(Guid id, ISubscriberStore subscribers, Eraser eraser)
    {
        if (subscribers.Find(id) is not { } s)
        {
            return NotFound(id);
        }
        eraser.Forget(s.Email);
        return TypedResults.NoContent();
    }

    private static Results<Ok<IReadOnlyList<TimelineItem>>, ProblemHttpResult> Timeline(Guid id, ISubscriberStore subscribers, SubscriberTimeline timeline) =>
        subscribers.Find(id) is null ? NotFound(id) : TypedResults.Ok(timeline.For(id));

    private static async Task<Ok<ImportResult>> ImportAsync(HttpRequest request, EngineCommands commands, string? source, CancellationToken ct)
    {
        // The importer reads synchronously; spool the upload to a temporary file rather than into memory.
        await using var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        await request.Body.CopyToAsync(spool, ct);
        spool.Position = 0;
        return TypedResults.Ok(await commands.ImportAsync(spool, source ?? "api", ct));
    }

    private static async Task<Results<Ok<ForgetResult>, ProblemHttpResult>> ForgetAsync(ForgetRequest body, EngineCommands commands, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await commands.ForgetAsync(body.Email, ct));
        }
        catch (CommandException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"no subscriber has the id {id}", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>A subscriber as the API shows it; statuses and engagement levels are lower-case words.</summary>
internal sealed record SubscriberView(
    Guid Id, string Email, string? FirstName, string? MiddleName, string? LastName, string? TimeZone, string? Locale,
    string Status, string Engagement, IReadOnlyDictionary<string, string> Fields, string? ConsentSource, DateTimeOffset? ConsentAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? UnsubscribedAt, DateTimeOffset? PausedUntil)
{
    public static SubscriberView Of(Subscriber s, EngagementJudge judge, DateTimeOffset now) => new(
        s.Id, s.Email, s.FirstName, s.MiddleName, s.LastName, s.TimeZone, s.Locale, s.Status.ToString().ToLowerInvariant(),
        judge.LevelOf(s, now).ToString().ToLowerInvariant(), s.Fields, s.ConsentSource, s.ConsentAt, s.CreatedAt, s.UpdatedAt,
        s.UnsubscribedAt, s.PausedUntil);
}

/// <summary>One page of a search; <see cref="Next"/> is the link to the following page, absent on the last.</summary>
internal sealed record SubscriberList(IReadOnlyList<SubscriberView> Items, string? Next, string? NextCursor);

internal sealed record CreateSubscriberRequest(
    string? Email, string? FirstName, string? MiddleName, string? LastName, string? TimeZone, string? Locale,
    Dictionary<string, string?>? Fields, string? ConsentSource);

/// <summary>Absent or null properties stay as they are; "" clears one; a field set to null or "" is removed.</summary>
internal sealed record UpdateSubscriberRequest(
    string? FirstName, string? MiddleName, string? LastName, string? TimeZone, string? Locale,
    Dictionary<string, string?>? Fields, string? Status);

/// <summary>
/// The search parameters of the API and the admin page (<c>q, status, engagement, field=key:value, after, limit</c>)
/// checked and turned into a <see cref="SubscriberQuery"/>; the page's links are built back from it.
/// </summary>
internal sealed record SubscriberSearchRequest(string? Q, string? Status, string? Engagement, string? Field, int? Limit, SubscriberQuery? Query)
{
    public const int DefaultLimit = 50;

    public static SubscriberSearchRequest Parse(string? q, string? status, string? engagement, string? field, string? after, int? limit,
        EngagementJudge judge, DateTimeOffset now) =>
        Errors(q, status, engagement, field, after, limit, judge, now).Count > 0
            ? new(q, status, engagement, field, limit, null)
            : new(q, status, engagement, field, limit, new SubscriberQuery
            {
                Text = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
                Status = Blank(status) ? null : Enum.Parse<SubscriberStatus>(status!, ignoreCase: true),
                Engagement = Blank(engagement) ? null : judge.Window(Enum.Parse<EngagementLevel>(engagement!, ignoreCase: true), now),
                Field = FieldCondition.Parse(field),
                After = SubscriberCursor.TryDecode(after, out var id) ? id : null,
                Limit = limit ?? DefaultLimit,
            });

    public static Dictionary<string, string[]> Errors(string? q, string? status, string? engagement, string? field, string? after, int? limit,
        EngagementJudge judge, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (q?.Length > 200)
        {
            errors["q"] = ["q is at most 200 characters"];
        }
        if (!Blank(status) && !IsName<SubscriberStatus>(status!))
        {
            errors["status"] = [$"status is one of {Names<SubscriberStatus>()}"];
        }
        if (!Blank(engagement) && !IsName<EngagementLevel>(engagement!))
        {
            errors["engagement"] = [$"engagement is one of {Names<EngagementLevel>()}"];
        }
        if (!Blank(field) && FieldCondition.Parse(field) is null)
        {
            errors["field"] = ["field is key:value, where the key has only letters, digits and underscores"];
        }
        if (!Blank(after) && !SubscriberCursor.TryDecode(after, out _))
        {
            errors["after"] = ["after is not a cursor this API gave out"];
        }
        if (limit is < 1 or > SubscriberQuery.MaxLimit)
        {
            errors["limit"] = [$"limit is between 1 and {SubscriberQuery.MaxLimit}"];
        }
        return errors;
    }

    /// <summary>The same search from <paramref name="after"/> on, as a query string.</summary>
    public string QueryString(string? after)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
            }
        }
        Add("q", Q);
        Add("status", Status);
        Add("engagement", Engagement);
        Add("field", Field);
        Add("limit", Limit?.ToString(CultureInfo.InvariantCulture));
        Add("after", after);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static bool IsName<T>(string value) where T : struct, Enum =>
        Enum.GetNames<T>().Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

    private static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
}
