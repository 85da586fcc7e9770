using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Drip.Rendering;

/// <summary>
/// Lets templates <c>include</c> files from <c>templates/partials/</c> and nowhere else: a name that
/// resolves outside that folder (../, an absolute path, a link) is refused.
/// </summary>
internal sealed class PartialsLoader : ITemplateLoader
{
    private readonly string _root;

    public PartialsLoader(string templatesRoot) =>
        _root = Path.GetFullPath(Path.Combine(templatesRoot, "partials")) + Path.DirectorySeparatorChar;

    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        var path = Path.GetFullPath(Path.Combine(_root, templateName));
        if (!path.StartsWith(_root, StringComparison.Ordinal) || Path.IsPathRooted(templateName))
        {
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}' is outside templates/partials/");
        }
        if (!File.Exists(path))
        {
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}' was not found in templates/partials/");
        }
        var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (!real.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}' links outside templates/partials/");
        }
        return path;
    }

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => File.ReadAllText(templatePath);

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
}
