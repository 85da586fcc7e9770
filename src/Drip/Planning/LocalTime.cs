namespace Drip.Planning;

/// <summary>Turns a subscriber's wall-clock time into an instant, through daylight-saving gaps and overlaps.</summary>
public static class LocalTime
{
    /// <summary>
    /// The instant at which the clock in <paramref name="zone"/> shows <paramref name="local"/>. A time that
    /// does not exist (the spring-forward gap) moves forward by the gap; an ambiguous one takes the first.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Read the wall time with the offset in force just before the gap: 02:30 in a 02:00–03:00 gap is 03:30.
            var before = local;
            while (zone.IsInvalidTime(before))
            {
                before = before.AddMinutes(-15);
            }
            return TimeZoneInfo.ConvertTime(new DateTimeOffset(local, zone.GetUtcOffset(before)), zone);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static DateOnly DateIn(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
