using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>
/// A cookie-keeping HTTP client that behaves like a browser on the admin pages: it reads the anti-forgery
/// field from each form it fills in, the way the page itself carries it.
/// </summary>
public sealed partial class AdminBrowser(DripApplication app)
{
    public HttpClient Http { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<string> GetPageAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Opens <paramref name="formPage"/>, takes its anti-forgery field, and posts the fields to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await GetPageAsync(formPage);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, $"{formPage} has an anti-forgery field");
        var body = fields.Append(new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value)));
        return await Http.PostAsync(action, new FormUrlEncodedContent(body));
    }

    /// <summary>Like <see cref="SubmitAsync"/> for a multipart form with one file field.</summary>
    public async Task<HttpResponseMessage> UploadAsync(string formPage, string action, string fileField, string fileName, string content,
        IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await GetPageAsync(formPage);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, $"{formPage} has an anti-forgery field");
        using var body = new MultipartFormDataContent();
        foreach (var (name, value) in fields.Append(new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value))))
        {
            body.Add(new StringContent(value), name);
        }
        var file = new StringContent(content);
        file.Headers.ContentType = new("text/csv");
        body.Add(file, fileField, fileName);
        return await Http.PostAsync(action, body);
    }

    public Task<HttpResponseMessage> SignInAsync(string email = DripApplication.AdminEmail, string password = DripApplication.AdminPassword, string returnUrl = "/admin") =>
        SubmitAsync("/admin/sign-in", "/admin/sign-in", [new("email", email), new("password", password), new("returnUrl", returnUrl)]);

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken)" value="(?<value>[^"]+)">""")]
    private static partial Regex AntiforgeryField();
}
