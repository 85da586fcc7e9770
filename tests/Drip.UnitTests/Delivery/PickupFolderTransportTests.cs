using Drip.Delivery;
using MimeKit;

namespace Drip.UnitTests.Delivery;

public sealed class PickupFolderTransportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-pickup-").FullName;

    private static MimeMessage Message(string id, string subject)
    {
        var message = new MimeMessage { Subject = subject, MessageId = id };
        message.From.Add(new MailboxAddress("Shop", "news@example.com"));
        message.To.Add(new MailboxAddress("Ada", "ada@example.org"));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    [Fact]
    public async Task Writes_a_whole_eml_named_after_the_message_id_with_the_envelope_sender()
    {
        var transport = new PickupFolderTransport(_folder);
        using var session = transport.OpenSession();
        var outcome = session.Send(Message("abc123@example.com", "Hi"), new MailboxAddress("", "bounces@example.com"), new MailboxAddress("", "ada@example.org"), CancellationToken.None);

        Assert.Equal(SendResult.Delivered, outcome.Result);
        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal("abc123.eml", Path.GetFileName(file));
        var loaded = await MimeMessage.LoadAsync(file);
        Assert.Equal("Hi", loaded.Subject);
        Assert.Equal("<bounces@example.com>", loaded.Headers[HeaderId.ReturnPath]);
    }

    [Fact]
    public async Task Sending_the_same_message_again_replaces_the_file_instead_of_adding_one()
    {
        var transport = new PickupFolderTransport(_folder);
        using var session = transport.OpenSession();
        var from = new MailboxAddress("", "news@example.com");
        var to = new MailboxAddress("", "ada@example.org");
        session.Send(Message("same@example.com", "First"), from, to, CancellationToken.None);
        session.Send(Message("same@example.com", "Retry"), from, to, CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal("Retry", (await MimeMessage.LoadAsync(file)).Subject);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
