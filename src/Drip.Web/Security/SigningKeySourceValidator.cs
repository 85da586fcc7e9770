using Drip.Security;
using Microsoft.Extensions.Options;

namespace Drip.Web.Security;

/// <summary>
/// Outside Development, refuses a signing key that comes from <c>appsettings*.json</c>: those files sit in the
/// repository, so such a key is a default anyone with the code knows and can forge unsubscribe links with.
/// Keys belong in the environment (<c>Signing__Keys__ID</c>), on the command line, or nowhere (a key generated into the
/// data folder on first start).
/// </summary>
internal sealed class SigningKeySourceValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        if (environment.IsDevelopment() || configuration is not IConfigurationRoot root)
        {
            return ValidateOptionsResult.Success;
        }
        var problems = new List<string>();
        foreach (var id in options.Keys.Keys)
        {
            var setting = $"{SigningOptions.Section}:Keys:{id}";
            // The last provider that has the setting is the one whose value counts.
            var source = root.Providers.LastOrDefault(p => p.TryGet(setting, out _));
            if (source is FileConfigurationProvider { Source.Path: { } path } && Path.GetFileName(path).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{setting} is set in {Path.GetFileName(path)}, which is part of the repository, so the key is no secret. "
                    + $"Set it in the environment (Signing__Keys__{id}) instead, or remove it to use the key generated into the data folder.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
