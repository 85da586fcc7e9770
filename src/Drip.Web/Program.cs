using Drip.Web.Cli;

// `drip` with no verb (or only host options such as --urls) serves; any other verb is a one-shot command.
return await DripCommandLine.RunAsync(args);

/// <summary>The host's entry point; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
