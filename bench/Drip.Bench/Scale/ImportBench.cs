using System.Diagnostics;
using System.Text;
using Drip.Storage;
using Drip.Subscribers;

namespace Drip.Bench.Scale;

/// <summary>
/// A CSV of N subscribers with the columns of samples/subscribers.csv, a few custom fields and 1 in 100 rows
/// unsubscribed elsewhere, imported through <see cref="SubscriberImporter"/> into a fresh LiteDB file. The baseline
/// reads and splits the same file with <see cref="CsvRecordReader"/> and stores nothing.
/// </summary>
internal static class ImportBench
{
    /// <param name="rows">How many rows the file has, the last one bad.</param>
    /// <param name="indexedFields">Custom fields the store indexes (<c>--indexed-fields city</c>), to see what each costs an import.</param>
    public static IReadOnlyList<BenchFigure> Run(int rows, IReadOnlyCollection<string> indexedFields)
    {
        var csv = BenchTable.TempFile("import") + ".csv";
        var file = BenchTable.TempFile("import") + ".db";
        try
        {
            var write = Stopwatch.StartNew();
            Write(csv, rows);
            Console.WriteLine($"wrote {rows:N0} rows ({new FileInfo(csv).Length / 1048576.0:0} MiB) in {write.Elapsed.TotalSeconds:0.0} s");

            var read = Stopwatch.StartNew();
            var records = 0;
            using (var text = new StreamReader(csv, Encoding.UTF8))
            {
                var reader = new CsvRecordReader(text);
                while (reader.Next() is { } record)
                {
                    records += record.Fields.Count > 0 ? 1 : 0;
                }
            }
            read.Stop();
            var rssBefore = Process.GetCurrentProcess().WorkingSet64 / 1048576.0;

            ImportReport report;
            var import = Stopwatch.StartNew();
            using (var db = new DripDatabase(file, indexedFields))
            {
                var importer = new SubscriberImporter(new LiteSubscriberStore(db), new LiteSuppressionStore(db), TimeProvider.System);
                using var stream = File.OpenRead(csv);
                report = importer.Import(stream, "bench import");
            }
            import.Stop();
            Console.WriteLine($"created {report.Created:N0}, updated {report.Updated:N0}, kept off {report.KeptOff:N0}, errors {report.Errors.Count:N0}; " +
                              $"working set before the import {rssBefore:0} MiB; db file {new FileInfo(file).Length / 1048576.0:0} MiB");
            if (report.Created != rows - 1 || report.Errors.Count != 1)
            {
                throw new InvalidOperationException("the import did not take every good row (or missed the one bad row)");
            }
            var baseRate = (records - 1) / read.Elapsed.TotalSeconds;
            return
            [
                BenchFigure.Of("import.rows_per_s", rows / import.Elapsed.TotalSeconds, "rows/s", baseRate),
                BenchFigure.Of("import.wall_s", import.Elapsed.TotalSeconds, "s", read.Elapsed.TotalSeconds),
                BenchFigure.Of("import.peak_rss_mib", BenchTable.PeakRssMiB(), "MiB", rssBefore),
            ];
        }
        finally
        {
            File.Delete(csv);
            BenchTable.Delete(file);
        }
    }

    /// <summary>Writes the rows; the last one is bad (an email without a domain) so error reporting is in the measured path.</summary>
    private static void Write(string path, int rows)
    {
        string[] first = ["Anna", "Ada", "Grace", "Kenji", "Olga", "Pavel", "Maria", "Ivan", "Зоя", "Пётр"];
        string[] last = ["Ivanova", "Lovelace", "Hopper", "Sato", "Petrov", "Smirnov", "Kuznetsova", "Sokolov", "Попова", "Лебедев"];
        string[] zones = ["Europe/Moscow", "Europe/London", "America/New_York", "Asia/Tokyo", "Europe/Berlin", "Asia/Kolkata", ""];
        string[] cities = ["Kazan", "Tver", "Omsk", "London", "Tokyo", "Berlin"];
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write("email,first_name,patronymic,last_name,time_zone,locale,birthday,company,purchase_date,city,status\n");
        for (var i = 0; i < rows - 1; i++)
        {
            var status = i % 100 == 7 ? "unsubscribed" : "";
            var company = i % 5 == 0 ? $"\"Shop {i % 977}, Ltd\"" : "";
            var purchase = i % 3 == 0 ? $"2025-{1 + i % 12:00}-{1 + i % 28:00}" : "";
            w.Write($"reader.{i:D7}@example{i % 50}.test,{first[i % first.Length]},,{last[i / 7 % last.Length]}{i % 1000},{zones[i % zones.Length]},en-GB," +
                    $"19{50 + i % 50}-{1 + i % 12:00}-{1 + i % 28:00},{company},{purchase},{cities[i % cities.Length]},{status}\n");
        }
        w.Write("not-an-address,Bad,,Row,,,,,,,\n");
    }
}
