using System.Text.RegularExpressions;
using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// Ties a report back to the letter Drip sent: the VERP token of its envelope sender and its Message-ID.
/// Both are looked for in several places because every MTA and feedback loop keeps a different subset.
/// </summary>
internal sealed partial record LetterOrigin(string? VerpToken, string? OriginalMessageId)
{
    // Where a bounce addressed to the VERP return path usually shows it, most specific first.
    private static readonly string[] s_deliveryHeaders = ["To", "Delivered-To", "X-Original-To", "Envelope-To"];

    public static LetterOrigin Find(ReportParts parts, string verpPrefix, string? bodyText)
    {
        return new LetterOrigin(FindToken(parts, verpPrefix, bodyText), FindMessageId(parts, bodyText));
    }

    private static string? FindToken(ReportParts parts, string verpPrefix, string? bodyText)
    {
        var top = parts.Message.Headers;
        return FirstToken(s_deliveryHeaders.SelectMany(field => ValuesOf(top, field)), verpPrefix)
            ?? FirstToken(ValuesOf(parts.FeedbackReport?.Fields, "Original-Mail-From"), verpPrefix)
            ?? FirstToken(ValuesOf(parts.Original?.Headers, "Return-Path"), verpPrefix)
            ?? FirstToken(top.Select(h => h.Value), verpPrefix)
            ?? FirstToken(parts.Original?.Headers.Select(h => h.Value) ?? [], verpPrefix)
            // Plain-text bounces (Exim, qmail) quote the returned letter's headers inline.
            ?? ReportParser.VerpToken(bodyText, verpPrefix);
    }

    private static string? FindMessageId(ReportParts parts, string? bodyText)
    {
        if (!string.IsNullOrWhiteSpace(parts.Original?.MessageId))
        {
            return parts.Original.MessageId;
        }

        // Gmail and others repeat the Message-ID among the per-message DSN fields.
        var fromStatus = parts.DeliveryStatus is { } status ? PerMessageField(status, "X-Original-Message-ID") : null;
        if (Bracketed(fromStatus) is { } id)
        {
            return id;
        }

        var match = bodyText is null ? Match.Empty : InlineMessageId().Match(bodyText);
        return match.Success ? match.Groups["id"].Value : null;
    }

    private static string? PerMessageField(MessageDeliveryStatus status, string field)
    {
        try
        {
            return status.StatusGroups.FirstOrDefault()?[field];
        }
        catch (FormatException)
        {
            // A mangled delivery-status part; the other sources may still have the id.
            return null;
        }
    }

    private static string? Bracketed(string? value)
    {
        var trimmed = value?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static string? FirstToken(IEnumerable<string?> values, string verpPrefix)
    {
        foreach (var value in values)
        {
            if (ReportParser.VerpToken(value, verpPrefix) is { } token)
            {
                return token;
            }
        }

        return null;
    }

    private static IEnumerable<string?> ValuesOf(HeaderList? headers, string field)
    {
        return headers is null
            ? []
            : headers.Where(h => string.Equals(h.Field, field, StringComparison.OrdinalIgnoreCase)).Select(h => (string?)h.Value);
    }

    [GeneratedRegex(@"^[ \t]*Message-ID:[ \t]*<(?<id>[^>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineMessageId();
}
