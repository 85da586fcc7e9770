using System.Globalization;
using Drip.Cadence;
using Drip.Subscribers;

namespace Drip.Letters;

/// <summary>
/// A letter tied to the calendar, from <c>templates/dates/</c>: yearly on a subscriber's date field
/// (birthday, first purchase: "it's been N years"), on a fixed date for a segment (New Year, 8 March),
/// or N days before a date ("New Year bookings are open" in late September).
/// </summary>
public sealed class DateTrigger
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string LetterId { get; init; }

    /// <summary>The custom field holding the date (birthday, purchase_date), or null for a fixed date.</summary>
    public string? Field { get; init; }

    /// <summary>The fixed month and day, when <see cref="Field"/> is null.</summary>
    public (int Month, int Day)? Fixed { get; init; }

    public int DaysBefore { get; init; }

    public SubscriberFilter Audience { get; init; } = SubscriberFilter.Mailable;

    public SendingWindow Window { get; init; } = SendingWindow.Parse("daily 10:00-12:00");

    /// <summary>Whether the letter carries a personal discount code (<c>{{ discount_code }}</c>).</summary>
    public bool DiscountCode { get; init; }

    /// <summary>
    /// The local dates in [<paramref name="from"/>, <paramref name="to"/>] on which this subscriber gets the letter,
    /// with the year it is for and the whole years since the field's date. Feb 29 falls on Feb 28 in other years.
    /// </summary>
    public IEnumerable<(DateOnly SendOn, int Year, int Years)> Occurrences(Subscriber subscriber, DateOnly from, DateOnly to)
    {
        if (!Audience.Matches(subscriber))
        {
            yield break;
        }
        int month, day;
        int? baseYear = null;
        if (Field is null)
        {
            (month, day) = Fixed!.Value;
        }
        else if (!subscriber.Fields.TryGetValue(Field, out var value) || !TryDate(value, out month, out day, out baseYear))
        {
            yield break;
        }
        for (var year = from.Year - 1; year <= to.Year + 1; year++)
        {
            var d = Math.Min(day, DateTime.DaysInMonth(year, month));
            var occasion = new DateOnly(year, month, d);
            var sendOn = occasion.AddDays(-DaysBefore);
            var years = baseYear is { } b ? year - b : 0;
            if (sendOn >= from && sendOn <= to && (baseYear is null || years >= 1))
            {
                yield return (sendOn, year, years);
            }
        }
    }

    private static bool TryDate(string value, out int month, out int day, out int? year)
    {
        year = null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var full))
        {
            (month, day, year) = (full.Month, full.Day, full.Year);
            return true;
        }
        if (value.StartsWith("--", StringComparison.Ordinal)
            && DateOnly.TryParseExact("2000-" + value[2..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var partial))
        {
            (month, day) = (partial.Month, partial.Day);
            return true;
        }
        (month, day) = (0, 0);
        return false;
    }
}
