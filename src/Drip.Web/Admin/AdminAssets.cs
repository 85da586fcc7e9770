using System.Collections.Frozen;
using System.Reflection;

namespace Drip.Web.Admin;

/// <summary>
/// The few files the marketer's pages load besides themselves (the letter editor's script and stylesheet), built into
/// Drip and served from <c>/admin/assets/</c>: nothing comes from a CDN.
/// </summary>
internal static class AdminAssets
{
    /// <summary>The link to the letter pages' stylesheet, placed at the top of their content.</summary>
    public const string Stylesheet = """<link rel="stylesheet" href="/admin/assets/letters.css">""";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = new Dictionary<string, (byte[], string)>
    {
        ["editor.js"] = (Read("editor.js"), "text/javascript; charset=utf-8"),
        ["letters.css"] = (Read("letters.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapAdminAssets(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/assets/{name}", Serve).RequireAuthorization(AdminAuthentication.Policy);
        return routes;
    }

    private static IResult Serve(string name) =>
        Files.TryGetValue(name, out var file) ? Results.Bytes(file.Content, file.Type) : Results.NotFound();

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Drip.Web.Admin.Assets.{name}")
            ?? throw new InvalidOperationException($"the admin asset {name} is not built into Drip.Web");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
