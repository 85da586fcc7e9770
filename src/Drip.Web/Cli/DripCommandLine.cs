using System.CommandLine;
using System.Globalization;
using Drip.Letters;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Storage;
using Drip.Web.Commands;
using Microsoft.Extensions.Options;

namespace Drip.Web.Cli;

/// <summary>
/// The <c>drip</c> command line: <c>serve</c> (the default) runs the host; <c>import</c>, <c>event</c>,
/// <c>campaign</c>, <c>status</c> act on the store — directly when no host holds it, otherwise through
/// the running host's API; <c>lint</c> checks the templates.
/// </summary>
internal static class DripCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version")))
        {
            return await ServeAsync(args);
        }
        return await Build().Parse(args).InvokeAsync();
    }

    private static RootCommand Build()
    {
        var root = new RootCommand("Drip: newsletters and drip sequences that send the right letter to the right person at the right hour.");
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Import());
        root.Subcommands.Add(Lint());
        root.Subcommands.Add(Event());
        root.Subcommands.Add(Campaign());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Plan());
        root.Subcommands.Add(Simulate());
        root.Subcommands.Add(Forget());
        root.Subcommands.Add(Purge());
        root.Subcommands.Add(EngagementVerb());
        root.Subcommands.Add(AdminVerb());
        root.Subcommands.Add(ApiKeyVerb());
        root.Subcommands.Add(Check());
        return root;
    }

    private static Command Serve()
    {
        var command = new Command("serve", "Run Drip: the web endpoints, the scheduler and the dispatcher (the default verb). Host options such as --urls pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((result, _) => ServeAsync([.. result.UnmatchedTokens]));
        return command;
    }

    private static async Task<int> ServeAsync(string[] args)
    {
        try
        {
            var app = DripHost.Build(args);
            // Open the store before anything starts, so a damaged or busy store is one plain message, not a host failure.
            app.Services.GetRequiredService<DripDatabase>();
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is OptionsValidationException or StoreException or InvalidOperationException or IOException)
        {
            await Console.Error.WriteLineAsync($"drip: {e.Message}");
            return 1;
        }
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header row; 'email' is required, other known columns: first_name, middle_name (patronymic), last_name, time_zone, locale; the rest become custom fields." };
        var source = new Option<string>("--source") { Description = "Where these people came from, kept as their consent source.", DefaultValueFactory = _ => "csv import" };
        var command = new Command("import", "Import or update subscribers from a CSV file. Bad rows are reported by line; the rest import.") { file, source };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CommandException($"{path.FullName} does not exist");
            }
            await using var stream = path.OpenRead();
            var report = await commands.ImportAsync(stream, result.GetValue(source)!, ct);
            Console.WriteLine($"{path.Name}: {report.Created} created, {report.Updated} updated, {report.KeptOff} kept unsubscribed, {report.Errors.Count} rejected");
            foreach (var error in report.Errors)
            {
                Console.WriteLine($"  {path.Name}:{error.Line}: {error.Reason}");
            }
            return report.Errors.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    private static Command Lint()
    {
        var command = new Command("lint", "Check every letter, layout and sequence in templates/; prints file:line:column: message for each problem.");
        command.SetAction(_ =>
        {
            var config = Configuration();
            var templates = config.GetSection(TemplatesOptions.Section).Get<TemplatesOptions>() ?? new TemplatesOptions();
            var library = TemplateLibrary.Load(templates.Path, templates.EffectiveKinds);
            var problems = new LetterLinter(library, new LetterRenderer(library, templates.Limits)).Lint();
            foreach (var p in problems)
            {
                Console.WriteLine(p);
            }
            Console.WriteLine(problems.Count == 0
                ? $"{library.Letters.Count} letters, {library.Sequences.Count} sequence(s), {library.Programs.Count} program(s), {library.Dates.Count} date letter(s): no problems"
                : $"{problems.Count} problem(s)");
            return problems.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Event()
    {
        var name = new Argument<string>("name") { Description = "The event, e.g. sale; sequences whose trigger matches start." };
        var email = new Option<string>("--email") { Description = "The subscriber it happened to.", Required = true };
        var at = new Option<DateTimeOffset?>("--at") { Description = "When it happened (ISO 8601); default now." };
        var data = new Option<string[]>("--data") { Description = "key=value details, repeatable.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("event", "Record an event for a subscriber and start the sequences it triggers.") { name, email, at, data };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var details = (result.GetValue(data) ?? []).Select(d => d.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            var recorded = await commands.RecordEventAsync(new EventRequest(result.GetValue(name)!, result.GetValue(email)!, result.GetValue(at), details), ct);
            Console.WriteLine($"Recorded '{result.GetValue(name)}' for {result.GetValue(email)}: {recorded.SendsPlanned} letter(s) planned.");
            return 0;
        }));
        return command;
    }

    private static Command Campaign()
    {
        var letter = new Argument<string>("letter") { Description = "The letter's file name in templates/letters/ without .md." };
        var to = new Option<string>("--to") { Description = "'all' (every active subscriber) or key=value filters: status=active,city=Kazan.", DefaultValueFactory = _ => "all" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "When to send (ISO 8601, e.g. 2026-12-01T10:00:00+03:00); default now." };
        var id = new Option<string?>("--id") { Description = "Campaign id; default the letter and the day, so repeating the command sends once." };
        var command = new Command("campaign", "Send one letter to every matching subscriber, now or at a given time.") { letter, to, at, id };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var r = await commands.StartCampaignAsync(new CampaignRequest(result.GetValue(letter)!, result.GetValue(to), result.GetValue(at), result.GetValue(id)), ct);
            Console.WriteLine($"Campaign {r.CampaignId}: {r.Matched} subscriber(s) matched, {r.Enqueued} letter(s) queued for {r.DueAt.ToString("u", CultureInfo.InvariantCulture)}.");
            return 0;
        }));
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Show subscribers and sends by state.");
        command.SetAction((_, ct) => WithCommandsAsync(async commands =>
        {
            var s = await commands.SummaryAsync(ct);
            Console.WriteLine($"{s.Subscribers} subscriber(s); delivery: {s.Delivery}");
            foreach (var (state, count) in s.Sends)
            {
                Console.WriteLine($"  {state,-9} {count}");
            }
            return 0;
        }));
        return command;
    }

    private static Command Plan()
    {
        var days = new Option<int>("--days") { Description = "How many days ahead.", DefaultValueFactory = _ => 14 };
        var email = new Option<string?>("--email") { Description = "Show one person's next letters and why each is where it is." };
        var command = new Command("plan", "Show what goes out in the next days per local day and window, or one person's letters and why. Writes nothing.") { days, email };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var plan = await commands.PlanAsync(result.GetValue(days), result.GetValue(email), ct);
            if (result.GetValue(email) is { } who)
            {
                Console.WriteLine($"Next letters for {who}:");
                foreach (var l in plan.Letters)
                {
                    Console.WriteLine($"  {Cadence.PlanView.Format(l.LocalTime)}  {l.LetterId} ({l.Kind}, {l.Source})");
                    Console.WriteLine($"      why: {l.Why}");
                }
                if (plan.Letters.Count == 0)
                {
                    Console.WriteLine("  nothing planned in this period");
                }
                return 0;
            }
            DateOnly? day = null;
            foreach (var row in plan.Rows)
            {
                if (row.Day != day)
                {
                    day = row.Day;
                    Console.WriteLine(row.Day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture) + " (subscribers' local time)");
                }
                Console.WriteLine($"  {row.Window}  {row.LetterId,-34} {row.Kind,-9} {row.Source,-24} {row.Subscribers,6} subscriber(s)");
            }
            if (plan.Rows.Count == 0)
            {
                Console.WriteLine("Nothing planned in this period.");
            }
            return 0;
        }));
        return command;
    }

    private static Command Forget()
    {
        var email = new Argument<string>("email") { Description = "The address to erase." };
        var command = new Command("forget", "Erase a person (right to erasure): record, timeline, sends and events go; only a hash of the address stays on the suppression list.") { email };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var r = await commands.ForgetAsync(result.GetValue(email)!, ct);
            Console.WriteLine(r.HadRecord
                ? $"Erased {r.Email}; its hash stays on the suppression list, so no import or program writes to it again."
                : $"No subscriber {r.Email}; its hash is on the suppression list now, so none will be written to.");
            return 0;
        }));
        return command;
    }

    private static Command Purge()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show who would get a re-engagement letter and who would be purged, and why." };
        var command = new Command("purge", "List cleaning: re-engage the long-inactive and purge those who did not answer (runs nightly too).") { dryRun };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var r = await commands.PurgeAsync(result.GetValue(dryRun), ct);
            foreach (var d in r.Decisions)
            {
                Console.WriteLine($"  {(d.Action == Engagement.PurgeAction.Purge ? "purge   " : "re-engage")}  {d.Email,-40} {d.Why}");
            }
            var verb = r.DryRun ? "would get" : "got";
            Console.WriteLine($"{r.Reengaged} subscriber(s) {verb} a re-engagement letter; {r.Purged} {(r.DryRun ? "would be" : "were")} purged." +
                              (r.ReportFile is null ? "" : $" Report: {r.ReportFile}"));
            return 0;
        }));
        return command;
    }

    private static Command EngagementVerb()
    {
        var email = new Option<string?>("--email") { Description = "One subscriber's engagement instead of the whole base." };
        var command = new Command("engagement", "Show the base's structure (active / passive / fans) or one subscriber's engagement.") { email };
        command.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var r = await commands.EngagementAsync(result.GetValue(email), ct);
            if (r.Subscriber is { } s)
            {
                Console.WriteLine($"{s.Email}: {s.Level.ToString().ToLowerInvariant()} ({s.Status}); last open {s.LastOpen?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}, " +
                                  $"last click {s.LastClick?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}; {s.Opens} opens ({s.MachineOpens} by machines), {s.Clicks} clicks; " +
                                  $"{s.LettersSinceEngaged} letters since the last engagement" +
                                  (s.ReengagementSentAt is { } at ? $"; re-engagement letter sent {at.ToString("u", CultureInfo.InvariantCulture)}" : ""));
                return 0;
            }
            var total = Math.Max(1, r.Active + r.Passive + r.Fans);
            Console.WriteLine($"active {r.Active} ({100.0 * r.Active / total:0}%), passive {r.Passive} ({100.0 * r.Passive / total:0}%), fans {r.Fans} ({100.0 * r.Fans / total:0}%); a typical base: 17% / 80% / 3%");
            return 0;
        }));
        return command;
    }

    private static Command AdminVerb()
    {
        var email = new Argument<string>("email") { Description = "The admin's email (their sign-in name)." };
        var add = new Command("add", "Create an admin account for the web app, or set a new password. The password is read from standard input (one line), never from the command line.") { email };
        add.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            if (!Console.IsInputRedirected)
            {
                Console.Write("Password (at least 12 characters): ");
            }
            var password = Console.ReadLine() ?? "";
            var r = await commands.AddAdminAsync(result.GetValue(email)!, password, ct);
            Console.WriteLine($"{r.Email} can sign in at /admin.");
            return 0;
        }));
        return new Command("admin", "Manage the accounts that sign in to the web app.") { add };
    }

    private static Command ApiKeyVerb()
    {
        var name = new Argument<string>("name") { Description = "What the key is for, e.g. 'crm sync'." };
        var add = new Command("add", "Make an API key for a machine client. The key is printed once; Drip keeps only its hash.") { name };
        add.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            var key = await commands.CreateApiKeyAsync(result.GetValue(name)!, ct);
            Console.WriteLine(key.Key);
            await Console.Error.WriteLineAsync($"API key {key.Id} ({key.Name}) made. Copy it now: it is not shown again. Send it as 'Authorization: Bearer KEY'.");
            return 0;
        }));
        var list = new Command("list", "List the API keys: id, name, first characters, when made, last used, revoked.");
        list.SetAction((_, ct) => WithCommandsAsync(async commands =>
        {
            var keys = await commands.ListApiKeysAsync(ct);
            foreach (var k in keys)
            {
                Console.WriteLine($"{k.Id}  {k.Prefix}…  {k.Name,-30} made {Stamp(k.CreatedAt)}, last used {(k.LastUsedAt is { } used ? Stamp(used) : "never")}" +
                                  (k.RevokedAt is { } revoked ? $", revoked {Stamp(revoked)}" : ""));
            }
            if (keys.Count == 0)
            {
                Console.WriteLine("No API keys yet; make one with 'drip apikey add NAME'.");
            }
            return 0;
        }));
        var id = new Argument<string>("id") { Description = "The key's id, as 'drip apikey list' shows it." };
        var revoke = new Command("revoke", "Revoke an API key: it opens nothing from now on.") { id };
        revoke.SetAction((result, ct) => WithCommandsAsync(async commands =>
        {
            await commands.RevokeApiKeyAsync(result.GetValue(id)!, ct);
            Console.WriteLine($"API key {result.GetValue(id)} is revoked.");
            return 0;
        }));
        return new Command("apikey", "Manage the API keys machine clients use.") { add, list, revoke };
    }

    private static string Stamp(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);

    private static Command Simulate()
    {
        var start = new Option<DateOnly>("--start") { Description = "First day (a Monday is natural).", Required = true };
        var weeks = new Option<int>("--weeks") { Description = "How many weeks.", DefaultValueFactory = _ => 8 };
        var count = new Option<int>("--subscribers") { Description = "How many synthetic subscribers.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "The same seed gives the same schedule.", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write, one row per letter sent.", Required = true };
        var command = new Command("simulate", "Run the real planner and dispatcher on a simulated clock over synthetic subscribers; write every send to CSV.")
        {
            start, weeks, count, seed, output,
        };
        command.SetAction(async (result, ct) =>
        {
            var config = Configuration();
            var templates = config.GetSection(TemplatesOptions.Section).Get<TemplatesOptions>() ?? new TemplatesOptions();
            var library = TemplateLibrary.Load(templates.Path, templates.EffectiveKinds);
            var problems = new LetterLinter(library, new LetterRenderer(library, templates.Limits)).Lint();
            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync($"drip: templates do not lint ({problems.Count} problem(s)); run 'drip lint'");
                return 1;
            }
            var caps = config.GetSection(Cadence.FrequencyCaps.Section).Get<Cadence.FrequencyCaps>() ?? new Cadence.FrequencyCaps();
            var planning = config.GetSection(Planning.PlanningOptions.Section).Get<Planning.PlanningOptions>() ?? new Planning.PlanningOptions();
            var settings = new Simulation.SimulationSettings(result.GetValue(start), result.GetValue(weeks), result.GetValue(count), result.GetValue(seed));
            IProgress<double>? bar = Console.IsErrorRedirected ? null : new ProgressBar();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var rows = await new Simulation.Simulator(library, caps, planning, templates.Limits).RunAsync(settings, bar, ct);
            var file = result.GetValue(output)!;
            await using (var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false)))
            {
                Simulation.Simulator.WriteCsv(writer, rows);
            }
            if (bar is not null)
            {
                await Console.Error.WriteLineAsync();
            }
            Console.WriteLine($"{rows.Count} letters to {rows.Select(r => r.SubscriberId).Distinct().Count()} subscribers over {settings.Weeks} weeks " +
                              $"({string.Join(", ", rows.GroupBy(r => r.Source).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))}) " +
                              $"in {watch.Elapsed.TotalSeconds:0.0} s -> {file.FullName}");
            return 0;
        });
        return command;
    }

    /// <summary>A one-line progress bar on stderr, redrawn only when the percentage changes.</summary>
    private sealed class ProgressBar : IProgress<double>
    {
        private int _last = -1;

        public void Report(double value)
        {
            var percent = (int)(value * 100);
            if (percent == _last)
            {
                return;
            }
            _last = percent;
            Console.Error.Write($"\r[{new string('#', percent / 4),-25}] {percent,3}%");
        }
    }

    private static Command Check()
    {
        var command = new Command("check", "Check the store's integrity (after a crash, or before trusting a backup): every record readable, indexes and scans agreeing, every send belonging to a subscriber. Run it while Drip is stopped.");
        command.SetAction(_ =>
        {
            try
            {
                var options = Configuration().GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
                using var store = new DripDatabase(options.DatabaseFile);
                var report = StoreCheck.Run(store);
                foreach (var (name, count) in report.Counts)
                {
                    Console.WriteLine($"{name}: {count:N0}");
                }
                foreach (var problem in report.Problems)
                {
                    Console.WriteLine($"problem: {problem}");
                }
                Console.WriteLine(report.IsSound ? $"{options.DatabaseFile}: no problems found" : $"{options.DatabaseFile}: {report.Problems.Count} problem(s)");
                // Not a problem: a process that stopped without storing its last outcomes left them here, and the next one stores them.
                if (OutcomeJournal.CountUnstored(options.OutcomesFolder, new LiteOutboxStore(store)) is > 0 and var waiting)
                {
                    Console.WriteLine($"{options.OutcomesFolder}: {waiting:N0} send outcome(s) recorded by a process that stopped, not yet in the store; Drip stores them before it next sends");
                }
                return report.IsSound ? 0 : 1;
            }
            catch (StoreException e)
            {
                Console.Error.WriteLine($"drip: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> WithCommandsAsync(Func<IDripCommands, Task<int>> action)
    {
        try
        {
            await using var commands = CommandsTarget.Open(Configuration());
            return await action(commands);
        }
        catch (Exception e) when (e is CommandException or StoreException or OptionsValidationException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"drip: {e.Message}");
            return 2;
        }
    }

    internal static IConfiguration Configuration()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }
}
