namespace Drip.Subscribers;

/// <summary>A row that did not import, why, and the row itself (re-encoded as CSV, cut when very long) when it could be read.</summary>
public sealed record ImportError(int Line, string Reason, string? Raw = null)
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

/// <summary>How far an import has got: reported after each batch is written and once at the end.</summary>
public sealed record ImportProgress(int Rows, int Created, int Updated, int Rejected, bool Finished);
