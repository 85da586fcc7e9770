using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// Inbound mail as files: every file in the folder (<c>*.eml</c>, or a Maildir's <c>new/</c>) is one message.
/// A handled one moves to the sibling folder <c>{folder}-handled</c>, one that cannot be parsed to
/// <c>{folder}-unreadable</c>: nothing is read twice and nothing is lost.
/// </summary>
public sealed class FolderMailbox(string folder) : IInboundMailbox
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task<int> ReadAsync(Func<MimeMessage, CancellationToken, Task> handle, int max, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }
        var handled = 0;
        var files = Directory.EnumerateFiles(Folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).Take(max).ToList();
        foreach (var file in files)
        {
            MimeMessage message;
            try
            {
                message = await MimeMessage.LoadAsync(file, cancellationToken);
            }
            catch (FormatException)
            {
                Move(file, "unreadable");
                continue;
            }
            await handle(message, cancellationToken);
            Move(file, "handled");
            handled++;
        }
        return handled;
    }

    private void Move(string file, string to)
    {
        // Beside the folder rather than inside it, so a Maildir's new/ stays a plain list of new mail.
        var target = Folder + "-" + to;
        Directory.CreateDirectory(target);
        File.Move(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }
}
