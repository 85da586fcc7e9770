using System.Net;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Security;

namespace Drip.UnitTests.Engagement;

public sealed class LinkTrackerTests
{
    private static readonly Guid Ada = Guid.Parse("0b6c2a52-5f39-4c55-9a55-2f4a2f0a8d11");
    private readonly TokenSigner _signer = new(new Dictionary<string, byte[]> { ["k"] = Enumerable.Repeat((byte)3, 32).ToArray() }, "k");

    private LinkTracker Tracker(bool opens = true, bool clicks = true) =>
        new(_signer, new PublicOptions { BaseUrl = "https://drip.example/" }, new TrackingOptions { Opens = opens, Clicks = clicks });

    [Fact]
    public void Links_go_through_the_redirect_except_unsubscribe_mailto_and_drip_own_pages_and_the_pixel_closes_the_body()
    {
        const string unsubscribe = "https://drip.example/u/abc";
        var html = """
            <html><body><p><a href="https://shop.example/linen?a=1&amp;b=2">Linen</a> <a href="mailto:hi@shop.example">Write</a>
            <a href="https://drip.example/u/abc">Unsubscribe</a> <a href="https://drip.example/stay/x">Stay</a></p></body></html>
            """;

        var tracked = Tracker().Track(html, Ada, "spring-news", unsubscribe);

        Assert.Contains("href=\"https://drip.example/c/", tracked);
        Assert.DoesNotContain("href=\"https://shop.example/linen", tracked);
        Assert.Contains("href=\"mailto:hi@shop.example\"", tracked);
        Assert.Contains("href=\"https://drip.example/u/abc\"", tracked);
        Assert.Contains("href=\"https://drip.example/stay/x\"", tracked);
        Assert.Matches("<img src=\"https://drip.example/o/[^\"]+\"[^>]*></body>", tracked);
    }

    [Fact]
    public void The_tracked_letter_is_the_letter_with_exactly_its_web_links_replaced_and_the_pixel_before_the_body_ends()
    {
        var tracker = Tracker();
        var html = """
            <html><body><p class="x"><a class="button" title="Linen &amp; wool" HREF = "https://shop.example/linen?a=1&amp;b=2">Linen</a>
            <a href="mailto:hi@shop.example">Write</a> <a href="">Empty</a> <a id="k" href="http://shop.example/k">K</a></p></body></html>
            """;
        string Click(string url) => WebUtility.HtmlEncode(tracker.ClickUrl(Ada, "spring-news", url));
        var pixel = $"""<img src="{WebUtility.HtmlEncode(tracker.OpenUrl(Ada, "spring-news"))}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">""";

        var tracked = tracker.Track(html, Ada, "spring-news", "https://drip.example/u/abc");

        Assert.Equal(html
            .Replace("\"https://shop.example/linen?a=1&amp;b=2\"", $"\"{Click("https://shop.example/linen?a=1&b=2")}\"")
            .Replace("\"http://shop.example/k\"", $"\"{Click("http://shop.example/k")}\"")
            .Replace("</body>", pixel + "</body>"), tracked);
    }

    [Fact]
    public void Only_the_href_attribute_is_rewritten_not_one_whose_name_ends_in_href()
    {
        var tracker = Tracker(opens: false);
        const string html = "<p><a data-href=\"https://x.example/\" href=\"https://shop.example/\">Shop</a> <a\nhref=\"https://shop.example/b\">B</a></p>";
        string Click(string url) => WebUtility.HtmlEncode(tracker.ClickUrl(Ada, "l", url));

        Assert.Equal($"<p><a data-href=\"https://x.example/\" href=\"{Click("https://shop.example/")}\">Shop</a> <a\nhref=\"{Click("https://shop.example/b")}\">B</a></p>",
            tracker.Track(html, Ada, "l", "https://drip.example/u/x"));
    }

    [Fact]
    public void Without_a_body_end_the_pixel_closes_the_letter_and_each_kind_of_tracking_works_alone()
    {
        var tracker = Tracker();
        const string html = "<p><a href=\"https://shop.example/\">Shop</a></p>";
        var click = WebUtility.HtmlEncode(tracker.ClickUrl(Ada, "l", "https://shop.example/"));
        var pixel = $"""<img src="{WebUtility.HtmlEncode(tracker.OpenUrl(Ada, "l"))}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">""";

        Assert.Equal($"<p><a href=\"{click}\">Shop</a></p>{pixel}", tracker.Track(html, Ada, "l", "https://drip.example/u/x"));
        Assert.Equal(html + pixel, Tracker(clicks: false).Track(html, Ada, "l", "https://drip.example/u/x"));
        Assert.Equal($"<p><a href=\"{click}\">Shop</a></p>", Tracker(opens: false).Track(html, Ada, "l", "https://drip.example/u/x"));
    }

    [Fact]
    public void A_click_url_verifies_for_its_own_target_only()
    {
        var tracker = Tracker();
        var target = "https://shop.example/linen?a=1&b=2";
        var click = new Uri(tracker.ClickUrl(Ada, "spring-news", target));
        var token = click.AbsolutePath["/c/".Length..];
        var u = WebUtility.UrlDecode(click.Query["?u=".Length..]);

        Assert.Equal(new Click(Ada, "spring-news", target), tracker.VerifyClick(token, u));
        Assert.Null(tracker.VerifyClick(token, "https://evil.example/"));
        Assert.Null(tracker.VerifyClick(token, target + "&c=3"));
        Assert.Null(tracker.VerifyClick(token, null));
        Assert.Null(tracker.VerifyClick(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), target));
        // An open token is not a click token.
        Assert.Null(tracker.VerifyClick(new Uri(tracker.OpenUrl(Ada, "spring-news")).AbsolutePath["/o/".Length..], target));
        Assert.Equal((Ada, "spring-news"), tracker.VerifyOpen(new Uri(tracker.OpenUrl(Ada, "spring-news")).AbsolutePath["/o/".Length..]));
    }

    [Fact]
    public void Javascript_and_data_urls_are_never_redirect_targets()
    {
        var tracker = Tracker();
        var token = new Uri(tracker.ClickUrl(Ada, "l", "https://a.example/")).AbsolutePath["/c/".Length..];
        Assert.Null(tracker.VerifyClick(token, "javascript:alert(1)"));
        Assert.Null(tracker.VerifyClick(token, "//a.example/"));
    }

    [Fact]
    public void Tracking_can_be_turned_off()
    {
        var html = "<html><body><a href=\"https://shop.example/\">Shop</a></body></html>";
        Assert.Equal(html, Tracker(opens: false, clicks: false).Track(html, Ada, "l", "https://drip.example/u/x"));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36", "203.0.113.9", false)]
    [InlineData("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", "66.249.84.1", false)]
    [InlineData("Mozilla/5.0", "17.58.101.3", true)]
    [InlineData("Mozilla/5.0 (compatible; Barracuda Sentinel)", "198.51.100.7", true)]
    [InlineData("python-requests/2.31", "198.51.100.7", true)]
    [InlineData("", "198.51.100.7", true)]
    public void Machine_opens_are_recognised(string userAgent, string ip, bool machine) =>
        Assert.Equal(machine, MachineOpens.IsMachine(userAgent, IPAddress.Parse(ip)));
}
