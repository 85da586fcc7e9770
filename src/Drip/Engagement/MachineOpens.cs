using System.Net;
using System.Text.RegularExpressions;

namespace Drip.Engagement;

/// <summary>
/// Recognises opens and clicks made by machines rather than readers: security scanners that fetch every
/// link and image on delivery, and Apple Mail Privacy Protection, which preloads images from Apple's
/// network (17.0.0.0/8) whether or not anyone reads. Gmail's image proxy is not here: it fetches when the
/// reader opens. What is recognised is counted apart and never counts as engagement.
/// </summary>
public static partial class MachineOpens
{
    public static bool IsMachine(string? userAgent, IPAddress? address)
    {
        if (string.IsNullOrWhiteSpace(userAgent) || Scanner().IsMatch(userAgent))
        {
            return true;
        }
        var ip = address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
        return ip?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes()[0] == 17;
    }

    [GeneratedRegex(@"bot\b|crawler|spider|preview|scanner|barracuda|mimecast|proofpoint|safelinks|python-|curl/|wget/|go-http-client|java/|okhttp|headless",
        RegexOptions.IgnoreCase)]
    private static partial Regex Scanner();
}
