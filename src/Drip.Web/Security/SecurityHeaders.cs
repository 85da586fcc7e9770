namespace Drip.Web.Security;

/// <summary>
/// The same protective headers on every response Drip sends, pages and API answers alike, set as the response
/// starts so error pages carry them too.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from Drip's own files, never inline: a name that slipped through unescaped still could not run.
    /// Styles may be inline because each page carries its small stylesheet in a <c>style</c> element (and a few
    /// <c>style</c> attributes); a style cannot run code. Images from anywhere, because a letter shown in a preview may
    /// show them: the preview is a sandboxed <c>srcdoc</c> frame, which inherits this policy, so its scripts and forms
    /// stay blocked. No page may be framed by another site (clickjacking), nor a form post elsewhere.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            // Same-site pages keep the referrer; a click out of Drip (the click redirect, links on pages) tells no one where it came from.
            headers["Referrer-Policy"] = "same-origin";
            // For browsers that do not know frame-ancestors.
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
