using Drip.Changes;
using Drip.Delivery;
using Drip.Feedback;
using Drip.Inbound;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.IntegrationTests.Imap;

/// <summary>The production inbound path: bounces and replies read from a real IMAP mailbox, each once, then moved aside.</summary>
public sealed class ImapInboxTests(DovecotFixture dovecot) : IClassFixture<DovecotFixture>, IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());

    [Fact]
    public async Task Reports_and_replies_in_the_IMAP_inbox_are_handled_once_and_moved_to_a_processed_folder_made_for_them()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        var subscribers = new LiteSubscriberStore(_db);
        var suppressions = new LiteSuppressionStore(_db);
        var history = new LiteHistoryStore(_db);
        var signer = new TokenSigner(new Dictionary<string, byte[]> { ["k1"] = Enumerable.Repeat((byte)9, 32).ToArray() }, "k1");
        var sender = new SenderOptions { Name = "Shop", Address = "news@shop.example", PostalAddress = "1 Mill Lane", BounceAddress = "bounces@shop.example" };
        var verp = new VerpAddress(signer, sender);
        var unsubscriber = new Unsubscriber(subscribers, new GroupCommit(new LiteChangeWriter(_db, clock)), clock);
        var bounces = new BounceHandler(history, unsubscriber, new LiteLetterStatsStore(_db, clock), new BounceOptions(), clock, NullLogger<BounceHandler>.Instance);
        var options = new ImapOptions { Host = "127.0.0.1", Port = dovecot.Port, Security = SecureSocketOptions.None, Username = DovecotFixture.User, Password = DovecotFixture.Password };
        var processor = new InboundProcessor(new ImapMailbox(options), subscribers, bounces, unsubscriber, verp, signer, sender, NullLogger<InboundProcessor>.Instance);

        var gone = new Subscriber { Id = Guid.NewGuid(), Email = "gone@example.org", EmailKey = "gone@example.org" };
        var leaving = new Subscriber { Id = Guid.NewGuid(), Email = "lin@example.org", EmailKey = "lin@example.org" };
        subscribers.Save([gone, leaving]);

        using (var imap = await ConnectAsync())
        {
            await imap.Inbox.AppendAsync(Bounce(verp.For(gone.Id).Address, gone.Email));
            await imap.Inbox.AppendAsync(Reply(leaving.Email, "STOP"));
        }

        Assert.Equal(2, await processor.RunAsync(CancellationToken.None));
        Assert.Equal(0, await processor.RunAsync(CancellationToken.None));

        Assert.Equal(SubscriberStatus.Bounced, subscribers.Find(gone.Id)!.Status);
        Assert.Equal(SuppressionReason.HardBounce, suppressions.Find(gone.Email)!.Reason);
        Assert.Equal(SubscriberStatus.Unsubscribed, subscribers.Find(leaving.Id)!.Status);
        using (var imap = await ConnectAsync())
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(0, imap.Inbox.Count);
            var processed = (await (await imap.GetFolder(imap.PersonalNamespaces[0]).GetSubfoldersAsync()).Single(f => f.Name == "Drip").GetSubfoldersAsync()).Single(f => f.Name == "Processed");
            await processed.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(2, processed.Count);
        }
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", dovecot.Port, SecureSocketOptions.None);
        await imap.AuthenticateAsync(DovecotFixture.User, DovecotFixture.Password);
        return imap;
    }

    private static MimeMessage Reply(string from, string text)
    {
        var message = new MimeMessage { Subject = "Re: Spring news", Body = new TextPart("plain") { Text = text } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("news@shop.example"));
        return message;
    }

    /// <summary>An RFC 3464 report as Postfix writes it, addressed to the VERP sender of the failed letter.</summary>
    private static MimeMessage Bounce(string verpAddress, string recipient) => MimeMessage.Load(new MemoryStream(System.Text.Encoding.ASCII.GetBytes($"""
        From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
        To: {verpAddress}
        Subject: Undelivered Mail Returned to Sender
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B"

        --B
        Content-Type: text/plain

        I'm sorry to have to inform you that your message could not be delivered.

        --B
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org

        Final-Recipient: rfc822; {recipient}
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown

        --B--
        """.Replace("\n", "\r\n"))));

    public void Dispose() => _db.Dispose();
}
