namespace Drip.Subscribers;

/// <summary>
/// A simple audience: a status and custom-field equality tests, e.g. <c>status=active,city=Kazan</c>.
/// </summary>
public sealed record SubscriberFilter(SubscriberStatus? Status, IReadOnlyDictionary<string, string> Fields)
{
    public static readonly SubscriberFilter Mailable = new(SubscriberStatus.Active, new Dictionary<string, string>());

    public bool Matches(Subscriber s) =>
        (Status is null || s.Status == Status)
        && Fields.All(f => s.Fields.TryGetValue(f.Key, out var v) && string.Equals(v, f.Value, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses <c>all</c> (every active subscriber) or comma-separated <c>key=value</c> pairs where
    /// <c>status</c> picks the status and any other key names a custom field.
    /// </summary>
    public static SubscriberFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Mailable;
        }
        SubscriberStatus? status = SubscriberStatus.Active;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"'{part}' is not key=value (in filter '{text}')");
            }
            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (key.Equals("status", StringComparison.OrdinalIgnoreCase))
            {
                status = value.Equals("any", StringComparison.OrdinalIgnoreCase) ? null
                    : Enum.TryParse<SubscriberStatus>(value, ignoreCase: true, out var st) ? st
                    : throw new FormatException($"unknown status '{value}'; use one of {string.Join(", ", Enum.GetNames<SubscriberStatus>())}");
            }
            else
            {
                fields[key] = value;
            }
        }
        return new SubscriberFilter(status, fields);
    }
}
