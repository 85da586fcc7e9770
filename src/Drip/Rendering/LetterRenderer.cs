using System.Collections.Concurrent;
using Drip.Letters;
using Drip.Subscribers;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Drip.Rendering;

/// <summary>
/// Renders a letter for one subscriber: Scriban (subject, preheader, body) → Markdig → layout, giving
/// HTML and plain text. Templates run sandboxed: no <c>object.eval</c>, loop/recursion/output/time limits,
/// includes only from <c>templates/partials/</c>. Subscriber data is made inert in Markdown and escaped
/// in HTML. Thread-safe: each render rents its own <see cref="TemplateContext"/> from a pool.
/// </summary>
public sealed class LetterRenderer
{
    // No GenericAttributes (it lets `{onclick=…}` through) and raw HTML disabled: the body is Markdown only.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private static readonly string[] SafeSchemes = ["http://", "https://", "mailto:", "tel:"];

    private readonly TemplateLibrary _library;
    private readonly RenderLimits _limits;
    private readonly ScriptObject _builtins;
    private readonly TimeProvider _clock;
    private readonly ConcurrentBag<TimedTemplateContext> _contexts = [];
    private readonly MarkdownBodies _bodies = new();

    /// <param name="library">The loaded templates.</param>
    /// <param name="limits">The sandbox every render runs in.</param>
    /// <param name="clock">Measures how long each render runs, against <see cref="RenderLimits.TimeLimit"/>.</param>
    public LetterRenderer(TemplateLibrary library, RenderLimits limits, TimeProvider? clock = null)
    {
        _library = library;
        _limits = limits;
        _clock = clock ?? TimeProvider.System;
        _builtins = TemplateContext.GetDefaultBuiltinObject();
        _builtins.Remove("object"); // object.eval would run template text taken from data
        // Scriban's date.parse turns text that is no date into 1 January of year 1, which a letter would then print as a
        // fact; a field that does not parse is an error for that subscriber's letter instead (empty stays empty).
        var date = (ScriptObject)_builtins["date"]!;
        date.Remove("parse");
        date.Import("parse", new Func<TemplateContext, string?, DateTime?>(ParseDate));
        // Once here rather than per model, and as a function object of its own: Scriban calls a delegate by reflection.
        _builtins["name_or"] = NameOrFunction.Instance;
    }

    private static readonly ScriptVariableGlobal SubscriberVariable = new("subscriber");

    /// <summary>
    /// <c>name_or 'fallback'</c>: the reader's name as the model holds it (Markdown-escaped in the body, one line elsewhere),
    /// or the fallback. Most subjects call it, once a letter; imported as a delegate, Scriban invoked it through reflection,
    /// with an argument array and a boxed result each time (about 1% of a broadcast's CPU).
    /// </summary>
    private sealed class NameOrFunction : IScriptCustomFunction
    {
        public static readonly NameOrFunction Instance = new();

        private static readonly ScriptParameterInfo Fallback = new(typeof(string), "fallback");

        public int RequiredParameterCount => 1;

        public int ParameterCount => 1;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => typeof(string);

        public ScriptParameterInfo GetParameterInfo(int index) => Fallback;

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            context.GetValue(SubscriberVariable) is ScriptObject { } subscriber && subscriber["name"] is string { Length: > 0 } name
                ? name
                : context.ObjectToString(arguments[0]);

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            new(Invoke(context, callerContext, arguments, blockStatement));
    }

    public RenderedLetter Render(Letter letter, Subscriber subscriber, LetterContext context)
    {
        var rawModel = Model(letter, subscriber, context, escape: false);
        var subject = OneLine(Run(letter.Subject, rawModel, letter.Path));
        var preheader = letter.Preheader is null ? null : OneLine(Run(letter.Preheader, rawModel, letter.Path));

        var bodyModel = Model(letter, subscriber, context, escape: true);
        var markdown = Run(letter.Body, bodyModel, letter.Path, letter.BodyLine - 1);
        var body = _bodies.Get(letter, markdown, FromMarkdown);

        var html = RenderLayout(letter, ".html", body.Html, subject, preheader, rawModel);
        var text = RenderLayout(letter, ".txt", body.Text, subject, preheader, rawModel);
        return new RenderedLetter(subject, preheader, html, text);
    }

    private static MarkdownBody FromMarkdown(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        NeutraliseUnsafeLinks(document);
        return new MarkdownBody(ToHtml(document), PlainTextRenderer.Render(document));
    }

    private string RenderLayout(Letter letter, string suffix, string content, string subject, string? preheader, ScriptObject rawModel)
    {
        var layout = _library.FindLayout(letter.Layout + suffix)
            ?? throw new RenderException($"{letter.Id}: layout {letter.Layout}{suffix}.sbn is missing");
        var page = new ScriptObject
        {
            ["content"] = content,
            ["subject"] = subject,
            ["preheader"] = preheader ?? "",
        };
        return Run(layout, rawModel, Path.Combine(_library.Root, "layouts", $"{letter.Layout}{suffix}.sbn"), scope: page);
    }

    // Markdig's own: it rents a renderer set up for the pipeline from a pool (one built per letter was a tenth of the allocations).
    private static string ToHtml(MarkdownDocument document) => Markdown.ToHtml(document, Pipeline);

    private static void NeutraliseUnsafeLinks(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            var url = link.Url ?? "";
            if (url.Length > 0 && !url.StartsWith('#') && !SafeSchemes.Any(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                link.Url = "#"; // javascript:, data:, vbscript: … never reach a reader
            }
        }
    }

    /// <summary>
    /// Renders <paramref name="template"/> over <paramref name="model"/>, which the letter's templates share (one built per
    /// letter for the subject, preheader and layouts, one for the body: building it was a tenth of a render, four times
    /// over). Each render writes into its own <paramref name="scope"/> on top, so a variable one template sets is not
    /// seen by the next.
    /// </summary>
    private string Run(Template template, ScriptObject model, string file, int lineOffset = 0, ScriptObject? scope = null)
    {
        if (template.HasErrors)
        {
            throw new RenderException($"{TemplateLibrary.Relative(_library.Root, file)}: the template does not parse; run 'drip lint'");
        }
        var context = _contexts.TryTake(out var pooled) ? pooled : NewContext();
        context.Start();
        context.PushGlobal(model);
        context.PushGlobal(scope ?? new ScriptObject());
        try
        {
            var result = template.Render(context);
            context.PopGlobal();
            context.PopGlobal();
            context.Reset();
            _contexts.Add(context);
            return result;
        }
        catch (ScriptRuntimeException e)
        {
            // The context may be mid-statement; drop it rather than return it to the pool.
            var line = e.Span.Start.Line + 1 + lineOffset;
            throw new RenderException($"{TemplateLibrary.Relative(_library.Root, file)}:{line}:{e.Span.Start.Column + 1}: {e.OriginalMessage}", e);
        }
    }

    private TimedTemplateContext NewContext() => new(_builtins, _clock, _limits.TimeLimit)
    {
        LoopLimit = _limits.LoopLimit,
        RecursiveLimit = _limits.RecursionLimit,
        LimitToString = _limits.MaxOutputChars,
        OutputLimit = _limits.MaxOutputChars,
        OnOutputLimit = ScriptLimitBehavior.Throw,
        ObjectRecursionLimit = 20,
        TemplateLoader = new PartialsLoader(_library.Root),
        MemberRenamer = member => member.Name,
        TryGetMember = RefuseDotNetMember,
    };

    private static DateTime? ParseDate(TemplateContext context, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        // In the body, values arrive Markdown-escaped ("2019\-05\-04"); the date is the text before escaping.
        text = MarkdownEscaper.Unescape(text);
        return DateTime.TryParse(text, context.CurrentCulture, System.Globalization.DateTimeStyles.None, out var parsed)
            ? parsed
            : throw new ScriptRuntimeException(context.CurrentSpan, $"date.parse: '{text}' is not a date");
    }

    // Members of System.Object that every value has in .NET; a template asking for one is probing, not reading data.
    private static readonly HashSet<string> ObjectMembers = new(StringComparer.OrdinalIgnoreCase)
        { "GetType", "ToString", "GetHashCode", "Equals", "MemberwiseClone", "Finalize", "ReferenceEquals" };

    /// <summary>
    /// Scriban asks this when a value has no member of that name. A field one subscriber lacks is simply empty, as
    /// before; a member of a text or number (<c>.Length</c>, <c>.GetType</c>) or of <see cref="object"/> would be .NET
    /// reflection, which templates never reach, so it is an error at its line and column rather than a silent blank.
    /// </summary>
    private static bool RefuseDotNetMember(TemplateContext context, Scriban.Parsing.SourceSpan span, object target, string member, out object value)
    {
        value = null!;
        if (target is ScriptObject && !ObjectMembers.Contains(member))
        {
            return false;
        }
        throw new ScriptRuntimeException(span, $"'{member}' is not something a letter can read: templates see Drip's values (subscriber.first_name, fields…), not .NET members");
    }

    private static ScriptObject Model(Letter letter, Subscriber s, LetterContext context, bool escape)
    {
        string Value(string? v) => escape ? MarkdownEscaper.Escape(v) : OneLine(v ?? "");
        var name = s.AddressName;

        var fields = new ScriptObject();
        foreach (var (key, value) in s.Fields)
        {
            fields[key] = Value(value);
        }
        var subscriber = new ScriptObject
        {
            ["email"] = Value(s.Email),
            ["first_name"] = Value(s.FirstName),
            ["middle_name"] = Value(s.MiddleName),
            ["last_name"] = Value(s.LastName),
            ["name"] = Value(name),
            ["full_name"] = Value(s.FullName),
            ["time_zone"] = s.TimeZone ?? "",
            ["locale"] = s.Locale ?? "",
            ["fields"] = fields,
        };
        foreach (var (key, value) in s.Fields)
        {
            if (!subscriber.ContainsKey(key))
            {
                subscriber[key] = Value(value);
            }
        }
        var links = new ScriptObject();
        foreach (var (key, value) in context.Links)
        {
            links[key] = value;
        }
        var model = new ScriptObject
        {
            ["subscriber"] = subscriber,
            ["greeting"] = Value(Greeting.For(name, s.Locale)),
            ["letter"] = new ScriptObject { ["id"] = letter.Id, ["kind"] = letter.Kind },
            ["sender"] = new ScriptObject
            {
                ["name"] = context.Sender.Name,
                ["address"] = context.Sender.Address,
                ["postal_address"] = context.Sender.PostalAddress,
            },
            ["links"] = links,
            ["unsubscribe_url"] = context.UnsubscribeUrl,
        };
        foreach (var (key, value) in context.Values ?? new Dictionary<string, string>())
        {
            model[key] = int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : Value(value);
        }
        return model;
    }

    private static string OneLine(string text) =>
        // Most values are one line already, with nothing to trim: kept as they are rather than split and joined again.
        text.AsSpan().IndexOfAny('\r', '\n', '\t') < 0 && (text.Length == 0 || !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]))
            ? text
            : string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();
}
