using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// Inbound mail from an IMAP mailbox (MailKit): unseen messages are read, and a handled one is moved to
/// <see cref="ImapOptions.ProcessedMailbox"/> (or flagged seen when that folder does not exist).
/// One connection per read: the mailbox is read once a minute, not held open.
/// </summary>
public sealed class ImapMailbox(ImapOptions options) : IInboundMailbox
{
    public async Task<int> ReadAsync(Func<MimeMessage, CancellationToken, Task> handle, int max, CancellationToken cancellationToken)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("Inbound:Imap:Host is not set"), options.Port, options.Security, cancellationToken);
        if (!string.IsNullOrEmpty(options.Username))
        {
            await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
        }
        var inbox = await client.GetFolderAsync(options.Mailbox, cancellationToken);
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        IMailFolder? processed;
        try
        {
            processed = await client.GetFolderAsync(options.ProcessedMailbox, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            processed = null;
        }
        var handled = 0;
        foreach (var uid in (await inbox.SearchAsync(SearchQuery.NotSeen, cancellationToken)).Take(max))
        {
            await handle(await inbox.GetMessageAsync(uid, cancellationToken), cancellationToken);
            if (processed is not null)
            {
                await inbox.MoveToAsync(uid, processed, cancellationToken);
            }
            else
            {
                await inbox.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, cancellationToken);
            }
            handled++;
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
        return handled;
    }
}
