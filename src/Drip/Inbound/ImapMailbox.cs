using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// Inbound mail from an IMAP mailbox (MailKit): unseen messages are read, and a handled one is moved to
/// <see cref="ImapOptions.ProcessedMailbox"/> (made when missing), so the inbox holds only what is new and nothing is deleted.
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
        var processed = await ProcessedFolderAsync(client, cancellationToken);
        var handled = 0;
        foreach (var uid in (await inbox.SearchAsync(SearchQuery.NotSeen, cancellationToken)).Take(max))
        {
            await handle(await inbox.GetMessageAsync(uid, cancellationToken), cancellationToken);
            await inbox.MoveToAsync(uid, processed, cancellationToken);
            handled++;
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
        return handled;
    }

    /// <summary>The processed folder, made when missing; '/' in its name means the server's own separator.</summary>
    private async Task<IMailFolder> ProcessedFolderAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var folder = client.GetFolder(client.PersonalNamespaces[0]);
        foreach (var name in options.ProcessedMailbox.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var children = await folder.GetSubfoldersAsync(false, cancellationToken);
            folder = children.FirstOrDefault(f => f.Name == name) ?? await folder.CreateAsync(name, true, cancellationToken)
                ?? throw new InvalidOperationException($"the IMAP server did not create the folder '{options.ProcessedMailbox}'");
        }
        return folder;
    }
}
