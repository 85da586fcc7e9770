using Drip.Inbound;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Drip.Scheduling;

/// <summary>Reads the inbound mailbox every <see cref="InboundOptions.Interval"/>: bounces, complaints, unsubscribe mails and replies.</summary>
[DisallowConcurrentExecution]
public sealed class InboundJob(InboundProcessor processor, ILogger<InboundJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var read = await processor.RunAsync(cancellationToken);
            if (read > 0)
            {
                log.LogInformation("Read {Count} inbound message(s)", read);
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException
                                      or MailKit.Security.AuthenticationException or MailKit.Net.Imap.ImapProtocolException or MailKit.Net.Imap.ImapCommandException)
        {
            // The mailbox being away is not fatal: the messages wait there for the next tick.
            log.LogWarning("Inbound mailbox not readable now: {Error}", e.Message);
        }
    }
}
