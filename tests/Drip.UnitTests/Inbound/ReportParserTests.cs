using Drip.Inbound;
using MimeKit;

namespace Drip.UnitTests.Inbound;

public sealed class ReportParserTests
{
    private static IReadOnlyList<DeliveryReport> ParseFixture(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Inbound", "Fixtures", name);
        using var message = MimeMessage.Load(path);
        return ReportParser.Parse(message);
    }

    private static MimeMessage FromText(string raw) => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw)));

    [Fact]
    public void Postfix_bounce_gives_one_hard_bounce_per_recipient()
    {
        var reports = ParseFixture("postfix-hard-bounce.eml");

        Assert.Equal(2, reports.Count);
        Assert.All(reports, r =>
        {
            Assert.Equal(ReportKind.HardBounce, r.Kind);
            Assert.Equal("k1.AbCdEf_123-xyz.MacValue", r.VerpToken);
            Assert.Equal("3f2a9c1e7b4d40f8a61c@example.test", r.OriginalMessageId);
            Assert.Null(r.FeedbackType);
        });
        Assert.Equal("ada@example.org", reports[0].Recipient);
        Assert.Equal("5.1.1", reports[0].Status);
        Assert.Equal("550 5.1.1 <ada@example.org>: Recipient address rejected: User unknown in virtual mailbox table", reports[0].Diagnostic);
        // Original-Recipient (what we sent to) wins over the alias it expanded to.
        Assert.Equal("bob@example.net", reports[1].Recipient);
        Assert.Equal("5.2.1", reports[1].Status);
    }

    [Fact]
    public void Postfix_delay_warning_is_delayed_and_finds_the_id_in_rfc822_headers()
    {
        var report = Assert.Single(ParseFixture("postfix-delayed.eml"));

        Assert.Equal(ReportKind.Delayed, report.Kind);
        Assert.Equal("carol@example.org", report.Recipient);
        Assert.Equal("4.4.1", report.Status);
        Assert.Equal("connect to mx.example.org[192.0.2.30]:25: Connection timed out", report.Diagnostic);
        Assert.Equal("k1.Zm9vYmFy_42-delay.MacDelay", report.VerpToken);
        Assert.Equal("3f2a0d44c2e94b1e9f07@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Exim_plain_text_bounce_is_read_from_the_text()
    {
        var report = Assert.Single(ParseFixture("exim-mail-delivery-failed.eml"));

        Assert.Equal(ReportKind.HardBounce, report.Kind);
        Assert.Equal("dan@example.org", report.Recipient);
        Assert.Equal("5.1.1", report.Status);
        Assert.Equal("550 5.1.1 <dan@example.org>: Recipient address rejected: User unknown in local recipient table", report.Diagnostic);
        Assert.Equal("k1.Ex1m_Tok-4.MacExim", report.VerpToken);
        Assert.Equal("3f2a6b1d0e8c4a2fb3d5@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Qmail_failure_notice_ignores_codes_in_the_returned_copy()
    {
        var report = Assert.Single(ParseFixture("qmail-failure-notice.eml"));

        Assert.Equal(ReportKind.HardBounce, report.Kind);
        Assert.Equal("erin@example.net", report.Recipient);
        Assert.Equal("5.1.1", report.Status);
        Assert.Equal("k1.Qm41l_Tok.MacQmail", report.VerpToken);
        Assert.Equal("3f2a5f6e7d8c49b0ac1d@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Gmail_address_not_found_is_a_hard_bounce()
    {
        var report = Assert.Single(ParseFixture("gmail-dsn-failure.eml"));

        Assert.Equal(ReportKind.HardBounce, report.Kind);
        Assert.Equal("frank@example.org", report.Recipient);
        Assert.Equal("5.1.1", report.Status);
        Assert.StartsWith("550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking", report.Diagnostic);
        Assert.Equal("k1.GmA1l_Tok-9.MacGmail", report.VerpToken);
        Assert.Equal("3f2a77e0a1c94d5b8e2f@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Outlook_recipient_not_found_keeps_the_three_digit_detail()
    {
        var report = Assert.Single(ParseFixture("outlook-ndr.eml"));

        Assert.Equal(ReportKind.HardBounce, report.Kind);
        Assert.Equal("grace@example.org", report.Recipient);
        Assert.Equal("5.1.10", report.Status);
        Assert.Equal("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient grace@example.org not found by SMTP address lookup", report.Diagnostic);
        Assert.Equal("k1.0utL00k_Tok.MacOutlook", report.VerpToken);
        Assert.Equal("3f2a51c8d2e04f7a9b6e@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Gmail_unauthenticated_rejection_is_a_policy_block_not_a_bounce()
    {
        var report = Assert.Single(ParseFixture("gmail-5726-unauthenticated.eml"));

        Assert.Equal(ReportKind.PolicyBlock, report.Kind);
        Assert.Equal("heidi@gmail.example", report.Recipient);
        Assert.Equal("5.7.26", report.Status);
        Assert.Equal("k1.P0l1cy_Tok-26.MacAuth", report.VerpToken);
        Assert.Equal("3f2ae1f07c3b4a69a2d1@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Mailbox_full_until_the_queue_expired_is_a_soft_bounce()
    {
        var report = Assert.Single(ParseFixture("postfix-soft-bounce-mailbox-full.eml"));

        Assert.Equal(ReportKind.SoftBounce, report.Kind);
        Assert.Equal("ivan@example.org", report.Recipient);
        Assert.Equal("4.2.2", report.Status);
        Assert.Equal("k1.S0ft_Full-422.MacFull", report.VerpToken);
        Assert.Equal("3f2a8d5b6e7f4c01b9a3@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Yahoo_abuse_report_is_a_complaint()
    {
        var report = Assert.Single(ParseFixture("yahoo-arf-abuse.eml"));

        Assert.Equal(ReportKind.Complaint, report.Kind);
        Assert.Equal("judy@yahoo.example", report.Recipient);
        Assert.Null(report.Status);
        Assert.Equal("abuse", report.FeedbackType);
        Assert.Equal("k1.Yah00_Arf-1.MacYahoo", report.VerpToken);
        Assert.Equal("3f2ab4c9d8e7461f8a0b@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Redacted_complaint_still_finds_token_and_message_id()
    {
        var report = Assert.Single(ParseFixture("arf-redacted-recipient.eml"));

        Assert.Equal(ReportKind.Complaint, report.Kind);
        Assert.Null(report.Recipient);
        Assert.Equal("abuse", report.FeedbackType);
        Assert.Equal("k1.R3dact3d_Tok-0.MacHidden", report.VerpToken);
        Assert.Equal("3f2ac0ffee12498d9e55@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Not_spam_feedback_is_not_a_complaint()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Inbound", "Fixtures", "yahoo-arf-abuse.eml");
        var raw = File.ReadAllText(path).Replace("Feedback-Type: abuse", "Feedback-Type: not-spam");

        Assert.Empty(ReportParser.Parse(FromText(raw)));
    }

    [Fact]
    public void Out_of_office_reply_is_not_a_report()
    {
        Assert.Empty(ParseFixture("out-of-office.eml"));
    }

    [Fact]
    public void Ordinary_reply_quoting_a_status_code_is_not_a_report()
    {
        Assert.Empty(ParseFixture("ordinary-reply.eml"));
    }

    [Fact]
    public void Dsn_without_its_delivery_status_part_is_read_from_the_text()
    {
        var report = Assert.Single(ParseFixture("mangled-dsn-no-status-part.eml"));

        Assert.Equal(ReportKind.HardBounce, report.Kind);
        Assert.Equal("kim@example.org", report.Recipient);
        Assert.Equal("5.1.1", report.Status);
        Assert.Equal("k1.M4ngl3d_Tok-5.MacBroken", report.VerpToken);
        Assert.Equal("3f2a3c3d4e5f40718293@example.test", report.OriginalMessageId);
    }

    [Fact]
    public void Sendmail_dsn_skips_delivered_and_derives_missing_or_generic_status()
    {
        var reports = ParseFixture("sendmail-mixed-actions.eml");

        Assert.Equal(
            [
                (ReportKind.HardBounce, "liam@example.com", "5.1.1"),
                (ReportKind.HardBounce, "mia@example.com", "5.0.0"),
                (ReportKind.PolicyBlock, "noah@example.com", "5.7.1"),
                (ReportKind.Delayed, "pia@example.com", "4.4.7"),
            ],
            reports.Select(r => (r.Kind, r.Recipient, r.Status)).ToList());
        Assert.All(reports, r =>
        {
            Assert.Equal("k1.S3ndm41l_Mix.MacMixed", r.VerpToken);
            Assert.Equal("3f2a4e5d6c7b48a99b0c@example.test", r.OriginalMessageId);
        });
    }

    [Fact]
    public void Unreadable_delivery_status_part_falls_back_to_the_text()
    {
        var raw = """
            From: MAILER-DAEMON@mx.example.net
            To: bounces+k1.Garbage@news.example.test
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            <lena@example.org>: host mx.example.org[192.0.2.9] said: 554 5.7.1 Service unavailable; client host blocked
            --b
            Content-Type: message/delivery-status
            Content-Transfer-Encoding: base64

            !!!! not base64 ::::
            --b
            Content-Type: message/rfc822

            --b--
            """;

        var report = Assert.Single(ReportParser.Parse(FromText(raw)));

        Assert.Equal(ReportKind.PolicyBlock, report.Kind);
        Assert.Equal("lena@example.org", report.Recipient);
        Assert.Equal("5.7.1", report.Status);
        Assert.Equal("k1.Garbage", report.VerpToken);
        Assert.Null(report.OriginalMessageId);
    }

    [Fact]
    public void Exim_delay_warning_is_delayed()
    {
        var raw = """
            From: Mail Delivery System <Mailer-Daemon@mx1.example.net>
            To: bounces+k1.Ex1m_Wait.MacWait@news.example.test
            Auto-Submitted: auto-replied
            Subject: Warning: message 1vXkQZ-00A1b9-1c delayed 24 hours
            Content-Type: text/plain; charset=us-ascii

            This message was created automatically by mail delivery software.
            A message that you sent has not yet been delivered to one or more of its
            recipients after more than 24 hours on the queue on mx1.example.net.

            The message identifier is:     1vXkQZ-00A1b9-1c
            The subject of the message is: Your weekly digest
            The date of the message is:    Tue, 03 Mar 2026 09:14:58 +0000

            The address to which the message has not yet been delivered is:

              olga@example.org
                host mx.example.org [192.0.2.88]
                Delay reason: SMTP error from remote mail server after RCPT TO:<olga@example.org>:
                451 4.3.0 Temporary lookup failure

            No action is required on your part. Delivery attempts will continue for
            some time, and this warning may be repeated at intervals if the message
            remains undelivered. Eventually the mail delivery software will give up,
            and when that happens, the message will be returned to you.
            """;

        var report = Assert.Single(ReportParser.Parse(FromText(raw)));

        Assert.Equal(ReportKind.Delayed, report.Kind);
        Assert.Equal("olga@example.org", report.Recipient);
        Assert.Equal("4.3.0", report.Status);
        Assert.Equal("451 4.3.0 Temporary lookup failure", report.Diagnostic);
        Assert.Equal("k1.Ex1m_Wait.MacWait", report.VerpToken);
    }

    [Fact]
    public void Bounce_subject_without_any_status_is_not_a_report()
    {
        var raw = """
            From: "Mail Delivery System" <no-reply@phish.example>
            To: ada@example.org
            Subject: Mail delivery failed: click here to release your messages
            Content-Type: text/plain

            Your mailbox is full. Log in at https://phish.example/login to fix it.
            """;

        Assert.Empty(ReportParser.Parse(FromText(raw)));
    }

    [Fact]
    public void Custom_verp_prefix_is_honoured()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Inbound", "Fixtures", "postfix-soft-bounce-mailbox-full.eml");
        var raw = File.ReadAllText(path).Replace("bounces+", "rtn+");

        var report = Assert.Single(ReportParser.Parse(FromText(raw), "rtn"));

        Assert.Equal("k1.S0ft_Full-422.MacFull", report.VerpToken);
    }

    [Theory]
    [InlineData("bounces+k1.AbCdEf_123-xyz.MacValue@news.example.com", "bounces", "k1.AbCdEf_123-xyz.MacValue")]
    [InlineData("BOUNCES+MiXeD_case-1@news.example.com", "bounces", "MiXeD_case-1")]
    [InlineData("Drip Weekly <bounces+abc@news.example.com>", "bounces", "abc")]
    [InlineData("rfc822; bounces+abc.def@news.example.com", "bounces", "abc.def")]
    [InlineData("bounces@news.example.com", "bounces", null)]
    [InlineData("bounces+@news.example.com", "bounces", null)]
    [InlineData("returns+abc@news.example.com", "bounces", null)]
    [InlineData("returns+abc@news.example.com", "returns", "abc")]
    [InlineData("xbounces+abc@news.example.com", "bounces", null)]
    [InlineData("bounces+abc", "bounces", null)]
    [InlineData("", "bounces", null)]
    [InlineData(null, "bounces", null)]
    public void VerpToken_extracts_the_token(string? address, string prefix, string? expected)
    {
        Assert.Equal(expected, ReportParser.VerpToken(address, prefix));
    }
}
