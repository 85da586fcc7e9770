using System.Globalization;

namespace Drip.Subscribers;

/// <summary>
/// Writes the subscribers a query finds as CSV in the importer's columns, so an export re-imports: the known
/// columns, then one column per custom field. Reads page by page, twice (once to learn the field names, once
/// to write), so memory holds one page and the set of field names, never the list.
/// </summary>
public sealed class SubscriberExporter(ISubscriberStore subscribers)
{
    private static readonly string[] Known =
        ["email", "first_name", "middle_name", "last_name", "time_zone", "locale", "status", "consent_source", "consent_at"];

    public async Task<int> WriteAsync(TextWriter csv, SubscriberQuery query, CancellationToken cancellationToken)
    {
        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in All(query))
        {
            keys.UnionWith(s.Fields.Keys);
        }
        var fields = keys.ToArray();
        await csv.WriteLineAsync(CsvCell.Row(Known.Concat(fields)));
        var count = 0;
        foreach (var s in All(query))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = new List<string?>(Known.Length + fields.Length)
            {
                s.Email, s.FirstName, s.MiddleName, s.LastName, s.TimeZone, s.Locale, s.Status.ToString().ToLowerInvariant(),
                s.ConsentSource, s.ConsentAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            };
            row.AddRange(fields.Select(k => s.Fields.GetValueOrDefault(k)));
            await csv.WriteLineAsync(CsvCell.Row(row));
            count++;
        }
        return count;
    }

    private IEnumerable<Subscriber> All(SubscriberQuery query)
    {
        var page = query with { After = null, Limit = SubscriberQuery.MaxLimit };
        while (true)
        {
            var found = subscribers.Search(page);
            foreach (var s in found.Items)
            {
                yield return s;
            }
            if (found.NextAfter is not { } next)
            {
                yield break;
            }
            page = page with { After = next };
        }
    }
}
