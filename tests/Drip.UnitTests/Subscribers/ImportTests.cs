using System.Text;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Subscribers;

public sealed class ImportTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteSubscriberStore _store;
    private readonly SubscriberImporter _importer;

    public ImportTests()
    {
        _store = new LiteSubscriberStore(_db);
        _importer = new SubscriberImporter(_store, new LiteSuppressionStore(_db), new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
    }

    private ImportReport Import(string csv, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        var stream = new MemoryStream(bom ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes);
        return _importer.Import(stream, "test");
    }

    [Fact]
    public void Known_columns_map_to_fields_and_the_rest_become_snake_case_custom_fields()
    {
        var report = Import("Email,First Name,Patronymic,Last_Name,Time_Zone,Locale,Purchase Date,Company\n" +
                            "anna@example.com,Анна,Петровна,Иванова,Europe/Moscow,ru-RU,2025-11-02,Утро\n", bom: true);

        Assert.Equal(1, report.Created);
        Assert.Empty(report.Errors);
        var s = _store.FindByEmail("anna@example.com")!;
        Assert.Equal(("Анна", "Петровна", "Иванова"), (s.FirstName, s.MiddleName, s.LastName));
        Assert.Equal("Europe/Moscow", s.TimeZone);
        Assert.Equal("ru-RU", s.Locale);
        Assert.Equal("2025-11-02", s.Fields["purchase_date"]);
        Assert.Equal("Утро", s.Fields["company"]);
        Assert.Equal("test", s.ConsentSource);
        Assert.Equal("Анна Петровна", s.AddressName);
    }

    [Fact]
    public void Bad_rows_are_reported_by_line_and_every_good_row_imports()
    {
        var report = Import("email,first_name,time_zone,birthday\n" +
                            "ok1@example.com,A,Europe/Paris,1990-01-01\n" +
                            "not-an-email,B,,\n" +
                            "\"ok2@example.com\",\"Multi\nLine\",,\n" +
                            "ok3@example.com,C,Mars/Olympus,\n" +
                            "ok4@example.com,D,,31.02.1990\n" +
                            "ok5@example.com,E,,08.03.1991\n");

        Assert.Equal(3, report.Created);
        Assert.Equal([3, 6, 7], report.Errors.Select(e => e.Line));
        Assert.Contains("not an email", report.Errors[0].Reason);
        Assert.Contains("Mars/Olympus", report.Errors[1].Reason);
        Assert.Contains("birthday", report.Errors[2].Reason);
        Assert.Equal("1991-03-08", _store.FindByEmail("ok5@example.com")!.Fields["birthday"]);
        Assert.Equal("Multi Line", _store.FindByEmail("ok2@example.com")!.FirstName); // no raw line break in a name
    }

    [Fact]
    public void Upsert_matches_email_case_insensitively_and_never_resubscribes()
    {
        Import("email,first_name\nada@example.com,Ada\n");
        var ada = _store.FindByEmail("ada@example.com")!;
        ada.Status = SubscriberStatus.Unsubscribed;
        _store.Save([ada]);

        var report = Import("email,first_name,status\nADA@Example.com,Augusta,active\n");

        Assert.Equal((0, 1, 1), (report.Created, report.Updated, report.KeptOff));
        var again = _store.FindByEmail("ada@example.com")!;
        Assert.Equal(ada.Id, again.Id);
        Assert.Equal("Augusta", again.FirstName);
        Assert.Equal(SubscriberStatus.Unsubscribed, again.Status);
        Assert.Equal(1, _store.Count());
    }

    [Fact]
    public void A_status_column_imports_people_who_left_elsewhere_as_unsubscribed()
    {
        var report = Import("email,status\ngone@example.com,unsubscribed\nhere@example.com,subscribed\nodd@example.com,maybe\n");

        Assert.Equal(SubscriberStatus.Unsubscribed, _store.FindByEmail("gone@example.com")!.Status);
        Assert.Equal(SubscriberStatus.Active, _store.FindByEmail("here@example.com")!.Status);
        Assert.Equal(4, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public void Semicolons_quotes_and_crlf_are_read_as_csv()
    {
        var report = Import("email;first_name;company\r\n\"o.brien@example.com\";\"Sean \"\"the Bold\"\"\";\"A; B\"\r\n");

        Assert.Empty(report.Errors);
        var s = _store.FindByEmail("o.brien@example.com")!;
        Assert.Equal("Sean \"the Bold\"", s.FirstName);
        Assert.Equal("A; B", s.Fields["company"]);
    }

    [Fact]
    public void Empty_file_missing_email_column_and_extra_fields_are_explained()
    {
        Assert.Contains("empty", Assert.Single(Import("").Errors).Reason);
        Assert.Contains("no 'email' column", Assert.Single(Import("name,city\nAda,London\n").Errors).Reason);
        var extra = Import("email,first_name\nx@example.com,X,surplus\ny@example.com,Y\n");
        Assert.Equal(2, Assert.Single(extra.Errors).Line);
        Assert.Equal(1, extra.Created);
    }

    [Theory]
    [InlineData("  Ada@Example.COM ", "Ada@example.com")]
    [InlineData("иван@пример.рф", "иван@пример.рф")]
    [InlineData("user+tag@sub.example.org", "user+tag@sub.example.org")]
    public void Valid_addresses_are_normalised(string input, string expected) =>
        Assert.Equal(expected, EmailAddress.Normalise(input, out _));

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("two..dots@example.com")]
    [InlineData("space in@example.com")]
    [InlineData("ada@localhost")]
    [InlineData("ada@exa_mple.com")]
    public void Invalid_addresses_are_refused_with_a_reason(string input)
    {
        Assert.Null(EmailAddress.Normalise(input, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    public void Dispose() => _db.Dispose();
}
