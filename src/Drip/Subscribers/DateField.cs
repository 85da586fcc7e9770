using System.Globalization;

namespace Drip.Subscribers;

/// <summary>Custom fields that hold dates (birthday, purchase_date …) are validated and kept as ISO text.</summary>
public static class DateField
{
    private static readonly string[] Formats = ["yyyy-MM-dd", "dd.MM.yyyy", "d.M.yyyy", "yyyy/MM/dd"];

    /// <summary>
    /// A column holds a date when it is named birthday, anniversary or date, or ends in <c>_date</c>
    /// ("Purchase Date" becomes purchase_date); "candidate" or "mandate" do not.
    /// </summary>
    public static bool IsDateColumn(string column) =>
        column.Equals("birthday", StringComparison.OrdinalIgnoreCase)
        || column.Equals("anniversary", StringComparison.OrdinalIgnoreCase)
        || column.Equals("date", StringComparison.OrdinalIgnoreCase)
        || column.EndsWith("_date", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>yyyy-MM-dd</c> for a full date, <c>--MM-dd</c> for a day without a year (a birthday
    /// someone would not give the year of); null when the text is not a date.
    /// </summary>
    public static string? Normalise(string text)
    {
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        if (value.StartsWith("--", StringComparison.Ordinal)
            && DateOnly.TryParseExact("2000-" + value[2..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dayOnly))
        {
            return dayOnly.ToString("--MM-dd", CultureInfo.InvariantCulture);
        }
        return null;
    }
}
