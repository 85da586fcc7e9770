using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// Writes each message as an .eml file named after its Message-ID, for setups with no relay (the
/// embedded default). Written to a temporary name and renamed, so a reader never sees half a file and
/// a retried send overwrites rather than duplicates.
/// </summary>
public sealed class PickupFolderTransport : ILetterTransport
{
    private readonly string _folder;

    public PickupFolderTransport(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
    }

    public int Connections => 1;

    public string Folder => _folder;

    public ITransportSession OpenSession() => new Session(_folder);

    private sealed class Session(string folder) : ITransportSession
    {
        public SendOutcome Send(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            var name = (message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0];
            var path = Path.Combine(folder, name + ".eml");
            var temp = path + ".tmp";
            try
            {
                message.Headers[HeaderId.ReturnPath] = $"<{envelopeFrom.Address}>";
                using (var file = File.Create(temp))
                {
                    message.WriteTo(file, cancellationToken);
                }
                File.Move(temp, path, overwrite: true);
                return SendOutcome.Delivered with { Detail = $"written to {path}" };
            }
            catch (IOException e)
            {
                return new SendOutcome(SendResult.Transient, null, $"pickup folder: {e.Message}");
            }
        }

        public void Dispose()
        {
        }
    }
}
