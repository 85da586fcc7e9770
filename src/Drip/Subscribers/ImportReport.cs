namespace Drip.Subscribers;

/// <summary>A row that did not import, and why.</summary>
public sealed record ImportError(int Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

/// <summary>The outcome of one CSV import: counts and every refused row with its line.</summary>
public sealed class ImportReport
{
    public int Created { get; set; }

    public int Updated { get; set; }

    /// <summary>Rows for people who had unsubscribed, bounced or complained: their data is updated but they stay off the list.</summary>
    public int KeptOff { get; set; }

    public List<ImportError> Errors { get; } = [];

    public int Imported => Created + Updated;

    public override string ToString() =>
        $"{Created} created, {Updated} updated, {KeptOff} kept unsubscribed, {Errors.Count} rejected";
}
