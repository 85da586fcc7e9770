using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Drip.Subscribers;

/// <summary>
/// Imports subscribers from CSV: the header names the columns; known ones map to fields, the rest
/// become custom fields; rows upsert by email. A bad row is reported by line and the rest imports.
/// Re-importing never re-subscribes someone who left. An address repeated within one file is one subscriber: the later
/// row updates the earlier, its non-empty cells winning. A file that is not UTF-8 text is refused as a whole (binary) or
/// row by row (a row in another encoding).
/// Rows are read and parsed on a second thread, a batch ahead of the writes, and written in batches: the existing subscribers and suppressions of a batch are looked up in one read each,
/// and its changes are written in one transaction (a million rows in 1,000-row batches with a lookup and a commit
/// per row or suppression spent most of their time waiting for the disk).
/// Most imports bring addresses the list does not have yet, so a batch first goes in without looking its addresses up
/// (only those an earlier batch of the same file stored are read): the store's unique email index refuses a batch in
/// which one address is taken after all, nothing of it is written, and it goes again looked up. After such a batch the
/// import looks every address up until a batch finds none of them stored.
/// </summary>
public sealed class SubscriberImporter
{
    private const int BatchSize = 5000;

    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email", ["e-mail"] = "email", ["email_address"] = "email",
        ["first_name"] = "first_name", ["firstname"] = "first_name", ["first name"] = "first_name", ["name"] = "first_name",
        ["middle_name"] = "middle_name", ["middlename"] = "middle_name", ["patronymic"] = "middle_name", ["middle name"] = "middle_name",
        ["last_name"] = "last_name", ["lastname"] = "last_name", ["last name"] = "last_name", ["surname"] = "last_name",
        ["time_zone"] = "time_zone", ["timezone"] = "time_zone", ["tz"] = "time_zone",
        ["locale"] = "locale", ["language"] = "locale",
        ["consent_source"] = "consent_source", ["source"] = "consent_source",
        ["consent_at"] = "consent_at",
        ["status"] = "status",
    };

    private readonly ISubscriberStore _store;
    private readonly ISuppressionStore _suppressions;
    private readonly TimeProvider _clock;

    public SubscriberImporter(ISubscriberStore store, ISuppressionStore suppressions, TimeProvider clock)
    {
        _store = store;
        _suppressions = suppressions;
        _clock = clock;
    }

    /// <summary>
    /// Imports a CSV stream (UTF-8, with or without BOM). <c>progress</c> is told after each batch of
    /// <see cref="BatchSize"/> rows is written and at the end, on the importing thread (so it costs one call per batch).
    /// </summary>
    public ImportReport Import(Stream csv, string source, IProgress<ImportProgress>? progress = null)
    {
        using var reader = new StreamReader(csv, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        return Import(reader, source, progress);
    }

    public ImportReport Import(TextReader text, string source, IProgress<ImportProgress>? progress = null)
    {
        var rows = 0;
        var report = Read(text, source, progress, ref rows);
        progress?.Report(new ImportProgress(rows, report.Created, report.Updated, report.Errors.Count, Finished: true));
        return report;
    }

    private ImportReport Read(TextReader input, string source, IProgress<ImportProgress>? progress, ref int rows)
    {
        var report = new ImportReport();
        var start = new char[4096];
        var length = input.ReadBlock(start);
        if (start.AsSpan(0, length).ContainsAny(BinaryControls))
        {
            // A spreadsheet (.xlsx is a zip), an image or random bytes: say so rather than echo the noise as column names.
            report.Errors.Add(new ImportError(1, "this is not a CSV text file (it holds binary data); save the list as \"CSV UTF-8\" and import that"));
            return report;
        }
        var csv = new CsvRecordReader(new Replayed(start.AsMemory(0, length), input));
        CsvRecord? header;
        try
        {
            header = csv.Next();
        }
        catch (CsvFormatException e)
        {
            report.Errors.Add(new ImportError(e.Line, e.Reason));
            return report;
        }
        if (header is null)
        {
            report.Errors.Add(new ImportError(1, "the file is empty: expected a header row with an 'email' column"));
            return report;
        }
        if (header.Fields.Any(f => f.Contains(Undecodable, StringComparison.Ordinal)))
        {
            report.Errors.Add(new ImportError(header.Line, "the header is not UTF-8 text (the file may be saved in another encoding); save it as \"CSV UTF-8\""));
            return report;
        }
        var columns = header.Fields
            .Select(h => Known.TryGetValue(h.Trim(), out var k) || Known.TryGetValue(FieldKey(h), out k) ? k : FieldKey(h))
            .ToArray();
        if (!columns.Contains("email"))
        {
            var found = string.Join(", ", header.Fields);
            report.Errors.Add(new ImportError(header.Line, $"the header has no 'email' column (found: {(found.Length > 200 ? found[..200] + "…" : found)})"));
            return report;
        }

        // The file is read and its rows parsed on another thread while this one writes the batch before: on two cores the
        // parsing (a fifth of the work) then costs no time, and the writes keep the file's order.
        using var parsed = new BlockingCollection<Parsed>(boundedCapacity: 2);
        using var stop = new CancellationTokenSource();
        var reading = Task.Factory.StartNew(() => Parse(csv, columns, parsed, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var file = new FileState();
        try
        {
            foreach (var batch in parsed.GetConsumingEnumerable())
            {
                rows = batch.RowsSoFar;
                report.Errors.AddRange(batch.Errors);
                Write(batch.Rows, file, report, source);
                if (!batch.Last)
                {
                    progress?.Report(new ImportProgress(rows, report.Created, report.Updated, report.Errors.Count, Finished: false));
                }
            }
        }
        finally
        {
            // A failed write ends the reading too, before the caller closes the file under it.
            stop.Cancel();
            try
            {
                reading.GetAwaiter().GetResult(); // a file that could not be read on throws here, as it did when read on this thread
            }
            catch (OperationCanceledException)
            {
            }
        }
        return report;
    }

    /// <summary>
    /// Reads and parses the rows after the header into batches of <see cref="BatchSize"/>, each with the errors of the rows
    /// read since the batch before, and a last one (which may hold no row) when the file ends or cannot be read on.
    /// </summary>
    private static void Parse(CsvRecordReader csv, string[] columns, BlockingCollection<Parsed> parsed, CancellationToken stop)
    {
        try
        {
            var pending = new List<Row>(BatchSize);
            var errors = new List<ImportError>();
            var rows = 0;
            while (true)
            {
                CsvRecord? record;
                try
                {
                    record = csv.Next();
                }
                catch (CsvFormatException e)
                {
                    errors.Add(new ImportError(e.Line, e.Reason));
                    break;
                }
                if (record is null)
                {
                    break;
                }
                rows++;
                if (ParseRecord(columns, record, csv.Delimiter, out var refused) is not { } row)
                {
                    errors.Add(refused!);
                    continue;
                }
                pending.Add(row);
                if (pending.Count >= BatchSize)
                {
                    parsed.Add(new Parsed(pending, errors, rows, Last: false), stop);
                    pending = new List<Row>(BatchSize);
                    errors = [];
                }
            }
            parsed.Add(new Parsed(pending, errors, rows, Last: true), stop);
        }
        finally
        {
            parsed.CompleteAdding();
        }
    }

    /// <summary>The row a record holds, or null with the error that refuses it.</summary>
    private static Row? ParseRecord(string[] columns, CsvRecord record, char delimiter, out ImportError? refused)
    {
        refused = null;
        string reason;
        if (record.Fields.Count > columns.Length && record.Fields.Skip(columns.Length).Any(f => f.Length > 0))
        {
            reason = $"{record.Fields.Count} fields but the header has {columns.Length}";
        }
        else if (record.Fields.Any(f => f.Contains(Undecodable, StringComparison.Ordinal)))
        {
            // Bytes that are not UTF-8 (a row saved as Windows-1251, say) would otherwise import as "���" in a name.
            reason = "the row is not UTF-8 text (the file may be saved in another encoding); save it as \"CSV UTF-8\"";
        }
        else if (ParseRow(columns, record, out var error) is { } row)
        {
            return row;
        }
        else
        {
            reason = error!;
        }
        refused = new ImportError(record.Line, reason, CsvCell.Raw(record.Fields, delimiter));
        return null;
    }

    /// <summary>A batch of parsed rows, the errors met since the batch before, and how many rows the file has given so far.</summary>
    private sealed record Parsed(List<Row> Rows, List<ImportError> Errors, int RowsSoFar, bool Last);

    /// <summary>Applies a batch of rows in file order and writes it: the suppressions it adds first, so an unsubscribe is kept even if the rest is lost.</summary>
    private void Write(List<Row> rows, FileState file, ImportReport report, string source)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var emails = rows.Select(r => r.Email).ToList();
        if (!file.LookUpEveryAddress)
        {
            var storedByThisFile = emails.Where(e => file.Seen.Contains(EmailAddress.Key(e))).ToList();
            if (TryWrite(rows, new Stored(_store.FindByEmails(storedByThisFile), _suppressions.FindAll(emails)), file.Seen, report, source))
            {
                rows.Clear();
                return;
            }
            file.LookUpEveryAddress = true;
        }
        // Looked up, the batch can still meet an address added since the read (a sign-up while the import runs): read again.
        for (var attempt = 1; ; attempt++)
        {
            var stored = new Stored(_store.FindByEmails(emails), _suppressions.FindAll(emails));
            if (TryWrite(rows, stored, file.Seen, report, source))
            {
                file.LookUpEveryAddress = stored.Subscribers.Count > 0;
                rows.Clear();
                return;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException("an address of the batch was taken by another write three times in a row; import the file again");
            }
        }
    }

    /// <summary>
    /// Applies the rows over what <paramref name="stored"/> holds and writes them in one transaction. False, with no
    /// subscriber written and nothing counted, if the store holds an address taken to be new (the batch's suppressions,
    /// written first, are written the same again on the next try).
    /// </summary>
    private bool TryWrite(List<Row> rows, Stored stored, HashSet<string> seen, ImportReport report, string source)
    {
        var batch = new Dictionary<string, Subscriber>(StringComparer.Ordinal);
        var counts = new ImportReport();
        var firstSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            Upsert(row, batch, stored, seen, firstSeen, counts, source);
        }
        if (stored.Added.Count > 0)
        {
            _suppressions.AddAll(stored.Added.Values);
        }
        var added = batch.Where(b => !stored.Subscribers.ContainsKey(b.Key)).Select(b => b.Value).ToList();
        var changed = batch.Where(b => stored.Subscribers.ContainsKey(b.Key)).Select(b => b.Value).ToList();
        try
        {
            _store.Save(added, changed);
        }
        catch (AddressTakenException)
        {
            return false;
        }
        seen.UnionWith(firstSeen);
        report.Created += counts.Created;
        report.Updated += counts.Updated;
        report.KeptOff += counts.KeptOff;
        return true;
    }

    /// <summary>What one import has learnt of its file so far; the importer itself is shared, so this lives per call.</summary>
    private sealed class FileState
    {
        /// <summary>Address keys this file has stored already: a later row with one is a repeat, and is looked up.</summary>
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        /// <summary>Set once a batch met addresses the store held: until a batch finds none, every address is looked up.</summary>
        public bool LookUpEveryAddress { get; set; }
    }

    /// <summary>What the store held for a batch's addresses before it, and the suppressions the batch adds (keyed by address hash).</summary>
    private sealed record Stored(IReadOnlyDictionary<string, Subscriber> Subscribers, IReadOnlyDictionary<string, Suppression> Suppressions)
    {
        public Dictionary<string, Suppression> Added { get; } = new(StringComparer.Ordinal);

        public Suppression? Suppression(string hash) => Added.GetValueOrDefault(hash) ?? Suppressions.GetValueOrDefault(hash);
    }

    private void Upsert(Row row, Dictionary<string, Subscriber> batch, Stored stored, HashSet<string> seen, HashSet<string> firstSeen, ImportReport report, string source)
    {
        var now = _clock.GetUtcNow();
        var key = EmailAddress.Key(row.Email);
        var existing = batch.GetValueOrDefault(key) ?? stored.Subscribers.GetValueOrDefault(key);
        var subscriber = existing ?? new Subscriber
        {
            Id = Subscriber.NewId(now),
            Email = row.Email,
            EmailKey = key,
            CreatedAt = now,
            ConsentSource = source,
            ConsentAt = now,
            // Someone who had not confirmed a double opt-in where the list comes from has not confirmed here either.
            Status = row.Pending ? SubscriberStatus.Pending : SubscriberStatus.Active,
        };
        subscriber.FirstName = row.FirstName ?? subscriber.FirstName;
        subscriber.MiddleName = row.MiddleName ?? subscriber.MiddleName;
        subscriber.LastName = row.LastName ?? subscriber.LastName;
        subscriber.TimeZone = row.TimeZone ?? subscriber.TimeZone;
        subscriber.Locale = row.Locale ?? subscriber.Locale;
        if (row.ConsentSource is not null)
        {
            subscriber.ConsentSource = row.ConsentSource;
        }
        if (row.ConsentAt is not null)
        {
            subscriber.ConsentAt = row.ConsentAt;
        }
        foreach (var (k, v) in row.Fields)
        {
            subscriber.Fields[k] = v;
        }
        subscriber.UpdatedAt = now;
        if (row.LeftStatus is { } left && subscriber.Status == SubscriberStatus.Active)
        {
            // A list moved from another tool keeps its unsubscribes; the reverse (re-activating) never happens here.
            subscriber.Status = left;
            subscriber.UnsubscribedAt ??= left == SubscriberStatus.Unsubscribed ? now : null;
        }
        var hash = Suppression.HashOf(row.Email);
        var suppression = stored.Suppression(hash);
        if (subscriber.Status == SubscriberStatus.Active && suppression is { } suppressed)
        {
            // The address left once (its record may since have been erased): an import never brings it back.
            subscriber.Status = suppressed.RecordStatus();
            subscriber.UnsubscribedAt ??= subscriber.Status == SubscriberStatus.Unsubscribed ? suppressed.At : null;
        }
        else if (row.LeftStatus is { } leftNow && suppression is null)
        {
            // An unsubscribe carried over from another tool is honoured for good, like one made here.
            stored.Added[hash] = new Suppression
            {
                Id = hash, At = now, Detail = $"imported as {leftNow.ToString().ToLowerInvariant()} ({source})",
                Reason = leftNow switch
                {
                    SubscriberStatus.Bounced => SuppressionReason.HardBounce,
                    SubscriberStatus.Complained => SuppressionReason.Complaint,
                    SubscriberStatus.Purged => SuppressionReason.Purged,
                    _ => SuppressionReason.Unsubscribed,
                },
            };
        }

        // An address repeated in the file (even a batch later, when the first row is already stored) counts once.
        var firstInFile = !seen.Contains(key) && firstSeen.Add(key);
        if (existing is null)
        {
            report.Created++;
        }
        else if (firstInFile)
        {
            report.Updated++;
        }
        if (!subscriber.IsMailable && firstInFile)
        {
            report.KeptOff++;
        }
        batch[key] = subscriber;
    }

    /// <summary>Whether the importer reads a column of this name as one of its own (so it cannot be a custom field's name).</summary>
    public static bool IsKnownColumn(string name) => Known.ContainsKey(name.Trim());

    /// <summary>Custom field names become snake_case keys ("Purchase Date" → purchase_date) so templates can name them.</summary>
    internal static string FieldKey(string header) =>
        string.Join("_", header.Trim().ToLowerInvariant().Split((char[])[' ', '-', '.'], StringSplitOptions.RemoveEmptyEntries));

    private static Row? ParseRow(string[] columns, CsvRecord record, out string? error)
    {
        error = null;
        var row = new Row();
        for (var i = 0; i < columns.Length; i++)
        {
            var value = i < record.Fields.Count ? CsvCell.Read(Clean(record.Fields[i])) : "";
            var column = columns[i];
            switch (column)
            {
                case "email":
                    var email = EmailAddress.Normalise(value, out error);
                    if (email is null)
                    {
                        return null;
                    }
                    row.Email = email;
                    break;
                case "time_zone":
                    if (value.Length > 0)
                    {
                        if (!TimeZoneInfo.TryFindSystemTimeZoneById(value, out _))
                        {
                            error = $"unknown time zone '{value}' (use an IANA id such as Europe/Moscow)";
                            return null;
                        }
                        row.TimeZone = value;
                    }
                    break;
                case "first_name": row.FirstName = NullIfEmpty(value); break;
                case "middle_name": row.MiddleName = NullIfEmpty(value); break;
                case "last_name": row.LastName = NullIfEmpty(value); break;
                case "locale": row.Locale = NullIfEmpty(value); break;
                case "consent_source": row.ConsentSource = NullIfEmpty(value); break;
                case "status":
                    switch (value.ToLowerInvariant())
                    {
                        // A pause is a moment's wish, not carried between lists: a paused person imports as active.
                        case "" or "active" or "subscribed" or "confirmed" or "paused": break;
                        case "pending": row.Pending = true; break;
                        case "unsubscribed" or "opted-out" or "optout": row.LeftStatus = SubscriberStatus.Unsubscribed; break;
                        case "bounced" or "cleaned": row.LeftStatus = SubscriberStatus.Bounced; break;
                        case "complained" or "spam": row.LeftStatus = SubscriberStatus.Complained; break;
                        case "purged": row.LeftStatus = SubscriberStatus.Purged; break;
                        default:
                            error = $"status '{value}' is not one of active, pending, paused, unsubscribed, bounced, complained, purged";
                            return null;
                    }
                    break;
                case "consent_at":
                    if (value.Length > 0)
                    {
                        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                        {
                            error = $"consent_at '{value}' is not a date and time";
                            return null;
                        }
                        row.ConsentAt = at.ToUniversalTime();
                    }
                    break;
                default:
                    if (column.Length == 0 || value.Length == 0)
                    {
                        break;
                    }
                    if (DateField.IsDateColumn(column))
                    {
                        var date = DateField.Normalise(value);
                        if (date is null)
                        {
                            error = $"{column} '{value}' is not a date (use YYYY-MM-DD, DD.MM.YYYY or --MM-DD)";
                            return null;
                        }
                        value = date;
                    }
                    row.Fields[column] = value;
                    break;
            }
        }
        if (row.Email.Length == 0)
        {
            error = "email is empty";
            return null;
        }
        return row;
    }

    // NUL and the other C0 controls besides tab, CR, LF and form feed do not occur in text; binary files are full of them.
    private static readonly SearchValues<char> BinaryControls =
        SearchValues.Create(Enumerable.Range(0, 32).Select(c => (char)c).Where(c => c is not ('\t' or '\r' or '\n' or '\f')).ToArray());

    // What a decoder makes of bytes that are not UTF-8.
    private const string Undecodable = "\uFFFD";

    // Names and fields end up in headers and pages: control characters (CR/LF among them) never get in.
    private static string Clean(string value) =>
        value.Any(char.IsControl) ? new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim() : value;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed class Row
    {
        public string Email { get; set; } = "";
        public string? FirstName { get; set; }
        public string? MiddleName { get; set; }
        public string? LastName { get; set; }
        public string? TimeZone { get; set; }
        public string? Locale { get; set; }
        public string? ConsentSource { get; set; }
        public DateTimeOffset? ConsentAt { get; set; }
        public SubscriberStatus? LeftStatus { get; set; }
        public bool Pending { get; set; }
        public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>Reads the characters already taken from a reader (to look at the start of a file), then the rest of it.</summary>
internal sealed class Replayed(ReadOnlyMemory<char> taken, TextReader rest) : TextReader
{
    private int _position;

    public override int Peek() => _position < taken.Length ? taken.Span[_position] : rest.Peek();

    public override int Read() => _position < taken.Length ? taken.Span[_position++] : rest.Read();
}
