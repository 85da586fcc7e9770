using System.Diagnostics;
using System.Text;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.BadInput;

/// <summary>
/// Bad CSV gets a clear error and loses nothing: every valid row imports, every invalid one is reported
/// by the line it starts on, and no file (not even binary garbage) makes the import throw.
/// </summary>
public sealed class CsvBadInputTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteSubscriberStore _store;
    private readonly SubscriberImporter _importer;

    public CsvBadInputTests()
    {
        _store = new LiteSubscriberStore(_db);
        _importer = new SubscriberImporter(_store, new LiteSuppressionStore(_db), new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose() => _db.Dispose();

    private ImportReport Import(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return _importer.Import(stream, "bad-input");
    }

    private ImportReport Import(string csv) => Import(Encoding.UTF8.GetBytes(csv));

    private Subscriber Stored(string email) => _store.FindByEmail(email) ?? throw new InvalidOperationException($"{email} was not imported");

    private int Count => _store.Count();

    [Fact]
    public void A_bom_before_the_header_is_not_part_of_the_email_column()
    {
        var report = Import([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("email,first_name\nada@example.com,Ada\n")]);

        Assert.Empty(report.Errors);
        Assert.Equal("Ada", Stored("ada@example.com").FirstName);
    }

    [Fact]
    public void A_semicolon_delimited_file_imports_with_commas_kept_inside_values()
    {
        var report = Import("email;first_name;company\nada@example.com;Ada;Babbage, Lovelace & Co\n");

        Assert.Empty(report.Errors);
        Assert.Equal("Babbage, Lovelace & Co", Stored("ada@example.com").Fields["company"]);
    }

    [Fact]
    public void A_quoted_newline_stays_in_its_row_and_later_errors_name_their_real_line()
    {
        var report = Import("email,first_name,note\n" +
                            "ada@example.com,Ada,\"first line\nsecond line\"\n" +
                            "not-an-address,Bob,x\n" +
                            "grace@example.com,Grace,y\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(4, error.Line); // the header is line 1; Ada's row spans lines 2 and 3
        Assert.Equal(2, report.Created);
        Assert.Equal("first line second line", Stored("ada@example.com").Fields["note"]);
    }

    [Fact]
    public void A_hundred_thousand_rows_import_in_seconds_with_each_bad_row_named()
    {
        var csv = new StringBuilder("email,first_name,city\n");
        for (var i = 0; i < 100_000; i++)
        {
            // Every 10 000th row is broken; its line is i + 2 (the header is line 1).
            csv.Append(i % 10_000 == 9_999 ? $"broken-{i},Name{i},Town\n" : $"reader{i}@example.com,Name{i},Town\n");
        }
        var clock = Stopwatch.StartNew();

        var report = Import(csv.ToString());

        // Seconds alone (about 20 s measured on a runner at load 18); the bound is loose for busy runners yet catches any per-row
        // cost that grows with the list (a quadratic import takes minutes here).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(99_990, report.Created);
        Assert.Equal(Enumerable.Range(1, 10).Select(k => k * 10_000 + 1), report.Errors.Select(e => e.Line));
        Assert.Equal(99_990, Count);
        Assert.Equal("Name99998", Stored("reader99998@example.com").FirstName);
    }

    [Fact]
    public void A_repeated_address_in_one_file_is_one_subscriber_whose_later_non_empty_cells_win()
    {
        var report = Import("email,first_name,last_name,city\n" +
                            "ada@example.com,Ada,Lovelace,London\n" +
                            "grace@example.com,Grace,,\n" +
                            "ADA@example.com,Augusta,,Marylebone\n");

        Assert.Empty(report.Errors);
        Assert.Equal((2, 0), (report.Created, report.Updated));
        Assert.Equal(2, Count);
        var ada = Stored("ada@example.com");
        Assert.Equal(("Augusta", "Lovelace", "Marylebone"), (ada.FirstName, ada.LastName, ada.Fields["city"]));
    }

    [Fact]
    public void A_repeated_address_a_batch_apart_is_still_counted_once()
    {
        var csv = new StringBuilder("email,first_name\nfirst@example.com,Early\n");
        for (var i = 0; i < 1_500; i++)
        {
            csv.Append($"r{i}@example.com,R{i}\n");
        }
        csv.Append("first@example.com,Late\n");

        var report = Import(csv.ToString());

        Assert.Equal((1_501, 0), (report.Created, report.Updated));
        Assert.Equal("Late", Stored("first@example.com").FirstName);
    }

    [Fact]
    public void Invalid_addresses_are_each_reported_by_line_and_international_ones_import_as_given()
    {
        var report = Import("email,first_name\n" +
                            "ivan@пример.рф,Ivan\n" +           // IDN domain: stored in Unicode
                            "ivan2@xn--e1afmkfd.xn--p1ai,Ivan2\n" + // the same domain in punycode: stored in Unicode too
                            "почта@пример.рф,Pochta\n" +        // UTF-8 local part (RFC 6531)
                            "josé@example.com,José\n" +
                            "no-at-sign,A\n" +
                            "two@@example.com,B\n" +
                            "dot.@example.com,C\n" +
                            "spaces in@example.com,D\n" +
                            "bad@exa_mple.com,E\n" +
                            "bad@-example.com,F\n" +
                            ",G\n");

        Assert.Equal(4, report.Created);
        Assert.Equal([6, 7, 8, 9, 10, 11, 12], report.Errors.Select(e => e.Line));
        Assert.All(report.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Contains("no-at-sign", report.Errors[0].Reason);
        Assert.Equal("ivan@пример.рф", Stored("ivan@пример.рф").Email);
        Assert.Equal("ivan2@пример.рф", Stored("ivan2@пример.рф").Email);
        Assert.Equal("почта@пример.рф", Stored("почта@пример.рф").Email);
        Assert.Equal("José", Stored("josé@example.com").FirstName);
    }

    [Fact]
    public void Cyrillic_names_and_emoji_are_kept_exactly()
    {
        var report = Import("email,first_name,last_name,nickname\n" +
                            "anna@example.ru,Анна,Ёлкина,🦊 Лиса\n" +
                            "kit@example.com,Kit 🐱,O'Brien-Ñúñez,👩🏽‍💻\n");

        Assert.Empty(report.Errors);
        Assert.Equal(("Анна", "Ёлкина", "🦊 Лиса"), (Stored("anna@example.ru").FirstName, Stored("anna@example.ru").LastName, Stored("anna@example.ru").Fields["nickname"]));
        Assert.Equal(("Kit 🐱", "O'Brien-Ñúñez", "👩🏽‍💻"), (Stored("kit@example.com").FirstName, Stored("kit@example.com").LastName, Stored("kit@example.com").Fields["nickname"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("\uFEFF")]
    public void An_empty_file_is_one_clear_error_and_imports_nothing(string csv)
    {
        var report = Import(Encoding.UTF8.GetBytes(csv));

        var error = Assert.Single(report.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("empty", error.Reason);
        Assert.Equal(0, Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Binary_garbage_is_one_clear_error_imports_nothing_and_never_throws(int seed)
    {
        var bytes = new byte[64 * 1024];
        new Random(seed).NextBytes(bytes);

        var report = Import(bytes);

        var error = Assert.Single(report.Errors);
        Assert.Contains("not a CSV text file", error.Reason);
        Assert.True(error.Reason.Length < 300, error.Reason); // says what is wrong, does not echo 64 KB of noise
        Assert.Equal(0, Count);
    }

    [Fact]
    public void A_zip_or_xlsx_file_is_recognised_as_not_csv()
    {
        // An .xlsx is a zip archive: PK\x03\x04 and then compressed bytes, often including NULs.
        byte[] xlsx = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, .. Encoding.ASCII.GetBytes("[Content_Types].xml")];

        var report = Import(xlsx);

        Assert.Contains("not a CSV text file", Assert.Single(report.Errors).Reason);
        Assert.Equal(0, Count);
    }

    [Fact]
    public void A_row_that_is_not_utf8_is_reported_by_line_instead_of_importing_mangled_names()
    {
        // A row saved in Windows-1251 ("Иван" as CP1251 bytes) among UTF-8 rows.
        var head = Encoding.UTF8.GetBytes("email,first_name\nada@example.com,Ada\nivan@example.ru,");
        byte[] cp1251Ivan = [0xC8, 0xE2, 0xE0, 0xED];
        var tail = Encoding.UTF8.GetBytes("\nanna@example.ru,Анна\n");

        var report = Import([.. head, .. cp1251Ivan, .. tail]);

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("UTF-8", error.Reason);
        Assert.Null(_store.FindByEmail("ivan@example.ru"));
        Assert.Equal(2, report.Created);
    }

    [Fact]
    public void A_row_with_extra_columns_is_reported_by_line_and_the_rows_around_it_import()
    {
        var report = Import("email,first_name\n" +
                            "ada@example.com,Ada\n" +
                            "bob@example.com,Bob,surprise,more\n" +
                            "grace@example.com,Grace\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("4 fields but the header has 2", error.Reason);
        Assert.Equal("bob@example.com,Bob,surprise,more", error.Raw);
        Assert.Null(_store.FindByEmail("bob@example.com"));
        Assert.Equal(2, report.Created);
    }

    [Fact]
    public void An_unclosed_quote_reports_its_line_and_keeps_every_row_before_it()
    {
        var report = Import("email,first_name\nada@example.com,Ada\nbob@example.com,\"Bob\ngrace@example.com,Grace\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("not closed", error.Reason);
        Assert.Equal(1, report.Created);
    }
}
