using System.Globalization;
using System.Text;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Subscribers;

public sealed class SubscriberImporterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 4, 14, 8, 30, 0, TimeSpan.Zero);

    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly LiteSubscriberStore _store;
    private readonly SubscriberImporter _importer;

    public SubscriberImporterTests()
    {
        _store = new LiteSubscriberStore(_db);
        _importer = new SubscriberImporter(_store, new LiteSuppressionStore(_db), _clock);
    }

    public void Dispose() => _db.Dispose();

    private ImportReport Import(string csv, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        using var stream = new MemoryStream(bom ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes);
        return _importer.Import(stream, "csv-test");
    }

    private Subscriber Stored(string email) =>
        _store.FindByEmail(email) ?? throw new InvalidOperationException($"{email} was not stored");

    [Fact]
    public void Utf8_bom_before_the_header_does_not_hide_the_email_column()
    {
        var report = Import("email,first_name\nada@example.com,Ada\n", bom: true);

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.Created);
        Assert.Equal("Ada", Stored("ada@example.com").FirstName);
    }

    [Fact]
    public void Utf8_bom_with_a_semicolon_header_still_finds_email()
    {
        var report = Import("email;first_name\nada@example.com;Ada\n", bom: true);

        Assert.Empty(report.Errors);
        Assert.Equal("Ada", Stored("ada@example.com").FirstName);
    }

    [Fact]
    public void Known_columns_map_onto_subscriber_properties()
    {
        var report = Import("email,first_name,patronymic,last_name,time_zone,locale\n" +
                            "anna@example.com,Anna,Petrovna,Ivanova,Europe/Moscow,ru-RU\n");

        Assert.Empty(report.Errors);
        var s = Stored("anna@example.com");
        Assert.Equal("Anna", s.FirstName);
        Assert.Equal("Petrovna", s.MiddleName);
        Assert.Equal("Ivanova", s.LastName);
        Assert.Equal("Europe/Moscow", s.TimeZone);
        Assert.Equal("ru-RU", s.Locale);
        Assert.Empty(s.Fields);
    }

    [Fact]
    public void New_subscriber_is_active_with_consent_from_the_import_source_and_clock()
    {
        Import("email\nada@example.com\n");

        var s = Stored("ada@example.com");
        Assert.Equal(SubscriberStatus.Active, s.Status);
        Assert.Equal("csv-test", s.ConsentSource);
        Assert.Equal(Start, s.ConsentAt);
        Assert.Equal(Start, s.CreatedAt);
        Assert.NotEqual(Guid.Empty, s.Id);
    }

    [Fact]
    public void Known_column_names_match_regardless_of_case_and_spelling()
    {
        var report = Import("E-Mail,First Name,Middle Name,Surname,TZ,Language\n" +
                            "ada@example.com,Ada,Augusta,King,Europe/London,en-GB\n");

        Assert.Empty(report.Errors);
        var s = Stored("ada@example.com");
        Assert.Equal(("Ada", "Augusta", "King"), (s.FirstName, s.MiddleName, s.LastName));
        Assert.Equal(("Europe/London", "en-GB"), (s.TimeZone, s.Locale));
        Assert.Empty(s.Fields);
    }

    [Fact]
    public void Unknown_columns_become_custom_fields_with_snake_case_keys()
    {
        var report = Import("email,Purchase Date,Favourite-Colour,Company\n" +
                            "ada@example.com,2025-11-02,Green,Analytical Engines\n");

        Assert.Empty(report.Errors);
        var fields = Stored("ada@example.com").Fields;
        Assert.Equal("2025-11-02", fields["purchase_date"]);
        Assert.Equal("Green", fields["favourite_colour"]);
        Assert.Equal("Analytical Engines", fields["company"]);
        Assert.Equal(3, fields.Count);
    }

    [Fact]
    public void Date_custom_fields_are_stored_as_iso_dates()
    {
        var report = Import("email,birthday,Purchase Date\nada@example.com,10.12.1815,2025/11/02\n");

        Assert.Empty(report.Errors);
        var fields = Stored("ada@example.com").Fields;
        Assert.Equal("1815-12-10", fields["birthday"]);
        Assert.Equal("2025-11-02", fields["purchase_date"]);
    }

    [Fact]
    public void Empty_custom_values_are_not_stored()
    {
        Import("email,company\nada@example.com,\n");

        Assert.False(Stored("ada@example.com").Fields.ContainsKey("company"));
    }

    [Fact]
    public void Invalid_rows_are_reported_by_line_with_a_reason_and_every_valid_row_imports()
    {
        var report = Import("email,first_name,time_zone,birthday\n" +                  // 1
                            "ok1@example.com,\"Two\nLines\",Europe/Paris,1990-01-01\n" + // 2-3
                            "not-an-email,B,,\n" +                                     // 4
                            "ok2@example.com,C,,\n" +                                  // 5
                            "ok3@example.com,D,Mars/Olympus,\n" +                      // 6
                            "ok4@example.com,E,,1990-02-31\n" +                        // 7
                            "ok5@example.com,F,,08.03.1991\n");                        // 8

        Assert.Equal([4, 6, 7], report.Errors.Select(e => e.Line));
        Assert.Contains("not-an-email", report.Errors[0].Reason);
        Assert.Contains("Mars/Olympus", report.Errors[1].Reason);
        Assert.Contains("time zone", report.Errors[1].Reason);
        Assert.Contains("birthday", report.Errors[2].Reason);
        Assert.Contains("1990-02-31", report.Errors[2].Reason);
        Assert.Equal(3, report.Created);
        Assert.Equal(3, _store.Count());
        Assert.NotNull(_store.FindByEmail("ok1@example.com"));
        Assert.NotNull(_store.FindByEmail("ok2@example.com"));
        Assert.Equal("1991-03-08", Stored("ok5@example.com").Fields["birthday"]);
        Assert.Null(_store.FindByEmail("ok3@example.com"));
        Assert.Null(_store.FindByEmail("ok4@example.com"));
    }

    [Fact]
    public void Import_error_prints_as_line_and_reason()
    {
        var report = Import("email\nbroken\n");

        var error = Assert.Single(report.Errors);
        Assert.StartsWith("line 2: ", error.ToString());
    }

    [Fact]
    public void Row_with_an_empty_email_is_rejected_by_line()
    {
        var report = Import("email,first_name\n,Nobody\nada@example.com,Ada\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("empty", error.Reason);
        Assert.Equal(1, _store.Count());
    }

    [Fact]
    public void Upsert_by_email_is_case_insensitive()
    {
        Import("email,first_name\nada@example.com,Ada\n");
        var first = Stored("ada@example.com");
        _clock.Advance(TimeSpan.FromDays(1));

        var report = Import("email,first_name\nADA@Example.com,Augusta\n");

        Assert.Equal((0, 1), (report.Created, report.Updated));
        Assert.Equal(1, _store.Count());
        var again = Stored("ada@example.com");
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("Augusta", again.FirstName);
        Assert.Equal(Start, again.CreatedAt);
        Assert.Equal(Start.AddDays(1), again.UpdatedAt);
    }

    [Fact]
    public void Same_address_twice_in_one_file_is_one_subscriber()
    {
        var report = Import("email,first_name\nada@example.com,Ada\nAda@EXAMPLE.com,Augusta\n");

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.Created);
        Assert.Equal(1, _store.Count());
        Assert.Equal("Augusta", Stored("ada@example.com").FirstName);
    }

    [Fact]
    public void Re_import_with_empty_cells_keeps_what_was_known()
    {
        Import("email,first_name,last_name,company\nada@example.com,Ada,Lovelace,Engines\n");

        Import("email,first_name,last_name,company\nada@example.com,,King,\n");

        var s = Stored("ada@example.com");
        Assert.Equal("Ada", s.FirstName);
        Assert.Equal("King", s.LastName);
        Assert.Equal("Engines", s.Fields["company"]);
    }

    [Theory]
    [InlineData(SubscriberStatus.Unsubscribed)]
    [InlineData(SubscriberStatus.Bounced)]
    [InlineData(SubscriberStatus.Complained)]
    public void Re_import_does_not_make_someone_who_left_active(SubscriberStatus left)
    {
        Import("email,first_name\nada@example.com,Ada\n");
        var ada = Stored("ada@example.com");
        ada.Status = left;
        _store.Save([ada]);

        var report = Import("email,first_name\nada@example.com,Augusta\n");

        Assert.Equal((0, 1, 1), (report.Created, report.Updated, report.KeptOff));
        var again = Stored("ada@example.com");
        Assert.Equal(left, again.Status);
        Assert.False(again.IsMailable);
        Assert.Equal("Augusta", again.FirstName);
    }

    [Fact]
    public void Re_import_with_status_active_still_does_not_resubscribe()
    {
        Import("email\nada@example.com\n");
        var ada = Stored("ada@example.com");
        ada.Status = SubscriberStatus.Unsubscribed;
        _store.Save([ada]);

        var report = Import("email,status\nADA@example.com,active\n");

        Assert.Equal(1, report.KeptOff);
        Assert.Equal(SubscriberStatus.Unsubscribed, Stored("ada@example.com").Status);
    }

    [Fact]
    public void Active_subscribers_are_not_counted_as_kept_off()
    {
        Import("email\nada@example.com\n");

        var report = Import("email\nada@example.com\nalan@example.com\n");

        Assert.Equal((1, 1, 0), (report.Created, report.Updated, report.KeptOff));
    }

    [Fact]
    public void Empty_file_gives_one_clear_error()
    {
        var report = Import("");

        var error = Assert.Single(report.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("empty", error.Reason);
        Assert.Equal(0, report.Imported);
    }

    [Fact]
    public void File_with_only_a_bom_is_empty()
    {
        var report = Import("", bom: true);

        Assert.Contains("empty", Assert.Single(report.Errors).Reason);
    }

    [Fact]
    public void File_without_an_email_column_gives_one_clear_error_and_imports_nothing()
    {
        var report = Import("name,city\nAda,London\nAlan,Wilmslow\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("no 'email' column", error.Reason);
        Assert.Contains("name, city", error.Reason);
        Assert.Equal(0, _store.Count());
    }

    [Fact]
    public void Header_only_file_imports_nothing_without_error()
    {
        var report = Import("email,first_name\n");

        Assert.Empty(report.Errors);
        Assert.Equal(0, report.Imported);
    }

    [Fact]
    public void Cyrillic_names_and_addresses_round_trip()
    {
        var report = Import("email,first_name,patronymic,last_name,город\n" +
                            "иван@пример.рф,Иван,Петрович,Сидоров,Казань\n" +
                            "anna@example.ru,Анна,Сергеевна,Ёлкина,Москва\n");

        Assert.Empty(report.Errors);
        var ivan = Stored("иван@пример.рф");
        Assert.Equal("иван@пример.рф", ivan.Email);
        Assert.Equal(("Иван", "Петрович", "Сидоров"), (ivan.FirstName, ivan.MiddleName, ivan.LastName));
        Assert.Equal("Казань", ivan.Fields["город"]);
        var anna = Stored("anna@example.ru");
        Assert.Equal("Анна Сергеевна", anna.AddressName);
        Assert.Equal("Ёлкина", anna.LastName);
    }

    [Fact]
    public void Row_with_extra_non_empty_columns_is_rejected_by_line()
    {
        var report = Import("email,first_name\n" +
                            "ada@example.com,Ada\n" +
                            "x@example.com,X,surplus\n" +
                            "y@example.com,Y,\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("3 fields", error.Reason);
        Assert.Null(_store.FindByEmail("x@example.com"));
        Assert.Equal("Y", Stored("y@example.com").FirstName);
        Assert.Equal(2, report.Created);
    }

    [Fact]
    public void Row_with_fewer_columns_than_the_header_imports_what_it_has()
    {
        var report = Import("email,first_name,last_name\nada@example.com,Ada\n");

        Assert.Empty(report.Errors);
        var s = Stored("ada@example.com");
        Assert.Equal("Ada", s.FirstName);
        Assert.Null(s.LastName);
    }

    [Fact]
    public void Line_breaks_inside_a_quoted_name_never_reach_the_stored_name()
    {
        var report = Import("email,first_name,last_name\r\n" +
                            "ada@example.com,\"Ada\r\nBcc: victim@example.com\",\"Love\nlace\"\r\n" +
                            "bad-address,X,Y\r\n");

        var s = Stored("ada@example.com");
        Assert.NotNull(s.FirstName);
        Assert.DoesNotContain("\r", s.FirstName);
        Assert.DoesNotContain("\n", s.FirstName);
        Assert.StartsWith("Ada", s.FirstName);
        Assert.DoesNotContain("\n", s.LastName);
        Assert.Equal(5, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public void Text_reader_overload_reads_the_same_csv()
    {
        using var text = new StringReader("email;first_name\r\n\"o.brien@example.com\";\"Sean \"\"the Bold\"\"\"\r\n");

        var report = _importer.Import(text, "manual");

        Assert.Empty(report.Errors);
        var s = Stored("o.brien@example.com");
        Assert.Equal("Sean \"the Bold\"", s.FirstName);
        Assert.Equal("manual", s.ConsentSource);
    }

    [Fact]
    public void Rows_before_an_unclosed_quote_still_import()
    {
        var report = Import("email,first_name\nada@example.com,Ada\nalan@example.com,\"Alan\n");

        Assert.Equal(1, report.Created);
        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("not closed", error.Reason);
        Assert.NotNull(_store.FindByEmail("ada@example.com"));
        Assert.Null(_store.FindByEmail("alan@example.com"));
    }

    [Fact]
    public void Spreadsheet_style_headers_and_trailing_empty_rows_import_cleanly()
    {
        var report = Import("Email Address,First Name,Candidate\nada@example.com,Ada,yes\n,,\n");

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.Created);
        Assert.Equal("yes", _store.FindByEmail("ada@example.com")!.Fields["candidate"]); // not taken for a date
    }

    [Fact]
    public void An_address_that_comes_back_in_a_later_batch_updates_the_subscriber_of_the_earlier_one()
    {
        // 12,000 rows span three batches; the address of row 1 returns as the last row.
        var csv = new StringBuilder("email,first_name\nada@example.com,Ada\n");
        for (var i = 0; i < 12_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"reader{i}@example.com,Reader\n");
        }
        csv.Append("ADA@example.com,Augusta\n");

        var report = Import(csv.ToString());

        // One person, counted once: created by row 1, and row 12,002 only brings the later name.
        Assert.Equal((12_001, 0, 0), (report.Created, report.Updated, report.Errors.Count));
        Assert.Equal(12_001, _store.Count());
        Assert.Equal("Augusta", Stored("ada@example.com").FirstName);
    }

    [Fact]
    public void An_address_unsubscribed_in_a_file_stays_off_when_a_later_row_of_the_same_file_lists_it_again()
    {
        var report = Import("email,status\nada@example.com,unsubscribed\nalan@example.com,\nAda@Example.com,active\n");

        Assert.Equal((2, 1), (report.Created, report.KeptOff));
        Assert.Equal(SubscriberStatus.Unsubscribed, Stored("ada@example.com").Status);
        Assert.NotNull(new LiteSuppressionStore(_db).Find("ada@example.com"));
        Assert.Equal(1, new LiteSuppressionStore(_db).Count());
    }

    [Fact]
    public void An_address_suppressed_before_the_import_is_created_unsubscribed_not_active()
    {
        var suppressions = new LiteSuppressionStore(_db);
        suppressions.Add(new Suppression { Id = Suppression.HashOf("ada@example.com"), Reason = SuppressionReason.Unsubscribed, At = Start.AddDays(-3) });

        var report = Import("email\nADA@example.com\nalan@example.com\n");

        Assert.Equal((2, 1), (report.Created, report.KeptOff));
        var ada = Stored("ada@example.com");
        Assert.Equal(SubscriberStatus.Unsubscribed, ada.Status);
        Assert.Equal(Start.AddDays(-3), ada.UnsubscribedAt);
        Assert.Equal(SubscriberStatus.Active, Stored("alan@example.com").Status);
    }

    [Fact]
    public void Subscribers_and_suppressions_of_a_batch_are_found_in_one_read_through_their_indexes()
    {
        Import("email,status\nada@example.com,\nalan@example.com,unsubscribed\n");

        var found = _store.FindByEmails(["ADA@example.com", "alan@example.com", "nobody@example.com"]);
        var suppressed = new LiteSuppressionStore(_db).FindAll(["Alan@Example.com", "ada@example.com"]);

        Assert.Equal(["ada@example.com", "alan@example.com"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([Suppression.HashOf("alan@example.com")], suppressed.Keys);
        var plan = _db.Subscribers.Query().Where(LiteDB.BsonExpression.Create("$.EmailKey IN @0", new LiteDB.BsonArray(new LiteDB.BsonValue("a"), new LiteDB.BsonValue("b")))).GetPlan();
        Assert.Equal("EmailKey", plan["index"]["name"].AsString);
    }

    [Fact]
    public void A_batch_whose_last_address_is_already_held_is_written_once_with_every_row_counted_once()
    {
        Import("email,first_name\nheld@example.com,Old\n");
        var csv = new StringBuilder("email,first_name,status\n");
        for (var i = 0; i < 10; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"new{i}@example.com,New,{(i == 3 ? "unsubscribed" : "")}\n");
        }
        csv.Append("HELD@example.com,Held,\n"); // taken to be new at first: the store refuses the batch and it goes again

        var report = Import(csv.ToString());

        Assert.Equal((10, 1, 1, 0), (report.Created, report.Updated, report.KeptOff, report.Errors.Count));
        Assert.Equal(11, _store.Count());
        Assert.Equal("Held", Stored("held@example.com").FirstName);
        Assert.Equal(SubscriberStatus.Unsubscribed, Stored("new3@example.com").Status);
        Assert.Equal(1, new LiteSuppressionStore(_db).Count());
    }

    [Fact]
    public void New_people_are_not_looked_up_by_address_and_people_already_held_are()
    {
        var store = new LookupCountingStore(_store);
        var importer = new SubscriberImporter(store, new LiteSuppressionStore(_db), _clock);
        var csv = new StringBuilder("email,first_name\n");
        for (var i = 0; i < 12_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"reader{i}@example.com,Reader\n");
        }

        var first = importer.Import(new StringReader(csv.ToString()), "first");
        Assert.Equal((12_000, 0, 0), (first.Created, first.Updated, store.LookedUp));

        var again = new SubscriberImporter(store, new LiteSuppressionStore(_db), _clock).Import(new StringReader(csv.Replace("Reader", "Again").ToString()), "again");
        Assert.Equal((0, 12_000), (again.Created, again.Updated));
        Assert.Equal(12_000, store.LookedUp); // the first batch once refused, then every batch looked up (each found its people)
        Assert.Equal(12_000, _store.Count());
        Assert.Equal("Again", Stored("reader11999@example.com").FirstName);
    }

    [Fact]
    public void Rows_are_parsed_a_batch_ahead_yet_errors_and_progress_come_in_file_order()
    {
        var csv = new StringBuilder("email,first_name\n");
        var bad = new List<int>();
        for (var i = 0; i < 12_000; i++)
        {
            // Bad rows in each of the three batches; line numbers count the header as line 1.
            var line = i + 2;
            if (i % 1000 == 999)
            {
                csv.Append("no-at-sign,Bad\n");
                bad.Add(line);
                continue;
            }
            csv.Append(CultureInfo.InvariantCulture, $"reader{i}@example.com,Reader\n");
        }
        var progress = new List<ImportProgress>();

        var report = _importer.Import(new StringReader(csv.ToString()), "csv-test", new SynchronousProgress(progress.Add));

        Assert.Equal(12_000 - bad.Count, report.Created);
        Assert.Equal(bad, report.Errors.Select(e => e.Line));
        Assert.Equal([5_005, 10_010, 12_000], progress.Select(p => p.Rows));
        Assert.Equal([5_000, 10_000, 12_000 - bad.Count], progress.Select(p => p.Created));
        Assert.Equal([5, 10, 12], progress.Select(p => p.Rejected));
        Assert.Equal([false, false, true], progress.Select(p => p.Finished));
    }

    [Fact]
    public void A_file_that_cannot_be_read_on_fails_the_import_with_its_own_error_and_keeps_the_batches_before()
    {
        var csv = new StringBuilder("email\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"reader{i}@example.com\n");
        }
        var text = csv.ToString();
        using var reader = new FailingReader(text, failAt: text.IndexOf("reader10500@", StringComparison.Ordinal));

        var error = Assert.Throws<IOException>(() => _importer.Import(reader, "csv-test"));

        Assert.Equal("the disk went away", error.Message);
        Assert.Equal(10_000, _store.Count()); // the two whole batches read before the failure
    }

    [Fact]
    public void A_write_that_fails_stops_the_reading_and_fails_the_import_with_the_store_error()
    {
        var csv = new StringBuilder("email\n");
        for (var i = 0; i < 100_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"reader{i}@example.com\n");
        }
        using var reader = new FailingReader(csv.ToString(), failAt: int.MaxValue);
        var importer = new SubscriberImporter(new FailingStore(_store, failOnSave: 2), new LiteSuppressionStore(_db), _clock);

        var error = Assert.Throws<IOException>(() => importer.Import(reader, "csv-test"));

        Assert.Equal("the store is full", error.Message);
        Assert.Equal(5_000, _store.Count());
        // The reading stopped a batch or two ahead of the failed write, not at the end of the file.
        Assert.InRange(reader.Position, 1, csv.Length / 2);
    }

    /// <summary>Reads a text and throws once past <c>failAt</c> characters; tells how far it was read.</summary>
    private sealed class FailingReader(string text, int failAt) : TextReader
    {
        public int Position { get; private set; }

        public override int Peek() => Position < text.Length ? text[Position] : -1;

        public override int Read()
        {
            if (Position >= failAt)
            {
                throw new IOException("the disk went away");
            }
            return Position < text.Length ? text[Position++] : -1;
        }
    }

    /// <summary>The LiteDB store, whose n-th save fails as a full disk would.</summary>
    private sealed class FailingStore(ISubscriberStore inner, int failOnSave) : StoreOver(inner)
    {
        private int _saves;

        public override void Save(IReadOnlyCollection<Subscriber> added, IReadOnlyCollection<Subscriber> changed)
        {
            if (++_saves == failOnSave)
            {
                throw new IOException("the store is full");
            }
            base.Save(added, changed);
        }
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>The LiteDB store, counting the addresses looked up with <see cref="ISubscriberStore.FindByEmails"/>.</summary>
    private sealed class LookupCountingStore(ISubscriberStore inner) : StoreOver(inner)
    {
        public int LookedUp { get; private set; }

        public override IReadOnlyDictionary<string, Subscriber> FindByEmails(IReadOnlyCollection<string> emails)
        {
            LookedUp += emails.Count;
            return base.FindByEmails(emails);
        }
    }

    /// <summary>Another store's behaviour, for a test store that changes one or two calls.</summary>
    private class StoreOver(ISubscriberStore inner) : ISubscriberStore
    {
        public virtual IReadOnlyDictionary<string, Subscriber> FindByEmails(IReadOnlyCollection<string> emails) => inner.FindByEmails(emails);
        public Subscriber? Find(Guid id) => inner.Find(id);
        public Subscriber? FindByEmail(string email) => inner.FindByEmail(email);
        public IReadOnlyDictionary<Guid, Subscriber> FindMany(IReadOnlyCollection<Guid> ids) => inner.FindMany(ids);
        public void Save(IReadOnlyCollection<Subscriber> subscribers) => inner.Save(subscribers);
        public virtual void Save(IReadOnlyCollection<Subscriber> added, IReadOnlyCollection<Subscriber> changed) => inner.Save(added, changed);
        public IEnumerable<Subscriber> Stream(SubscriberFilter filter) => inner.Stream(filter);
        public SubscriberPage Search(SubscriberQuery query) => inner.Search(query);
        public int Count() => inner.Count();
        public IReadOnlyDictionary<SubscriberStatus, int> CountByStatus() => inner.CountByStatus();
        public bool Delete(Guid id) => inner.Delete(id);
    }
}
