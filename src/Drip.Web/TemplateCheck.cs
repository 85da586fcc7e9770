using Drip.Rendering;

namespace Drip.Web;

/// <summary>Refuses to start the host while any letter or sequence fails lint: nothing goes out from a broken template.</summary>
internal sealed class TemplateCheck(LetterLinter linter, ILogger<TemplateCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = linter.Lint();
        if (problems.Count > 0)
        {
            foreach (var p in problems)
            {
                log.LogError("{Problem}", p.ToString());
            }
            throw new InvalidOperationException(
                $"Drip will not start: {problems.Count} template problem(s). Run 'drip lint' and fix them:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
