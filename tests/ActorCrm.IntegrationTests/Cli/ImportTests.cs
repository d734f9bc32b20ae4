using System.Text;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Cli;

public sealed class ImportSiloFactory : SiloFactory;

/// <summary>`actorcrm import`: bad rows reported by line and written to the rejects file, good rows land, re-runs change nothing.</summary>
public sealed class ImportTests(ImportSiloFactory silo) : IClassFixture<ImportSiloFactory>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorcrm-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static long Count(CliRun run, string name) => run.JsonLines[0].GetProperty(name).GetInt64();

    [Fact]
    public async Task Three_malformed_rows_are_reported_with_their_lines_and_the_rest_lands()
    {
        // Line 1 is the header. The child on line 2 names a parent that comes later (line 9): second pass.
        var csv = Write("accounts.csv", """
            account_id,display_name,kind,tier,parent_account_id,region,organisation_profile
            imp-bureau-1,华岳一局集团有限公司,BUSINESS,BUREAU_OR_PROVINCE,imp-hq,陕西省,
            imp-unit-1,华岳一局西安分公司,BUSINESS,LOCAL_OR_OTHER,imp-bureau-1,"西安市",
            imp-bad-fields,too,few
            imp-bad-tier,坏的层级,BUSINESS,GALAXY,,,
            imp-unit-2,"华岳一局 ""宝鸡"" 分公司",BUSINESS,LOCAL_OR_OTHER,imp-bureau-1,宝鸡市,"{""employee_count"": 120}"
            imp-bad-name,,BUSINESS,LOCAL_OR_OTHER,,,
            imp-consumer,王先生,CONSUMER,LOCAL_OR_OTHER,,,
            imp-hq,华岳铁路工程股份有限公司,BUSINESS,NATIONAL_HQ,,北京市,"{""employee_count"": 300000, ""business_situation"": ""基建""}"
            """.Replace("            ", ""));

        var first = await CliRunner.RunAsync(silo, "import", "accounts", csv, "--no-progress", "--output", "json");
        Assert.True(first.ExitCode == 3, first.ToString()); // partial success
        Assert.Equal(5, Count(first, "created"));
        Assert.Equal(3, Count(first, "rejected"));
        var rejects = first.JsonLines[0].GetProperty("rejects").EnumerateArray().ToList();
        Assert.Equal([4L, 5L, 7L], rejects.Select(r => r.GetProperty("line").GetInt64()));
        Assert.Contains("expected 7 fields", rejects[0].GetProperty("reason").GetString());
        Assert.Contains("tier", rejects[1].GetProperty("reason").GetString());
        Assert.Contains("display_name", rejects[2].GetProperty("reason").GetString());
        Assert.Contains($"{csv}:4: rejected", first.Err);

        var rejectsFile = File.ReadAllLines(csv + ".rejects.csv");
        Assert.Equal("line,reason,record", rejectsFile[0]);
        Assert.Equal(4, rejectsFile.Length);
        Assert.StartsWith("4,", rejectsFile[1]);
        Assert.EndsWith("\"imp-bad-fields,too,few\"", rejectsFile[1]); // the raw row, quoted as a CSV cell

        var unit = await CliRunner.RunAsync(silo, "get", "account", "imp-unit-2", "--output", "json");
        Assert.Equal("华岳一局 \"宝鸡\" 分公司", unit.JsonLines[0].GetProperty("display_name").GetString());
        Assert.Equal("imp-bureau-1", unit.JsonLines[0].GetProperty("parent_account_id").GetString());

        // The same file again: every good row unchanged, the same three rejected.
        var second = await CliRunner.RunAsync(silo, "import", "accounts", csv, "--no-progress", "--output", "json");
        Assert.Equal(3, second.ExitCode);
        Assert.Equal(0, Count(second, "created"));
        Assert.Equal(0, Count(second, "updated"));
        Assert.Equal(5, Count(second, "unchanged"));
        Assert.Equal(3, Count(second, "rejected"));

        // One changed cell: exactly that account is updated.
        File.WriteAllText(csv, File.ReadAllText(csv).Replace("王先生", "林澄舟先生"));
        var third = await CliRunner.RunAsync(silo, "import", "accounts", csv, "--no-progress", "--output", "json");
        Assert.Equal(1, Count(third, "updated"));
        Assert.Equal(4, Count(third, "unchanged"));
        var consumer = await CliRunner.RunAsync(silo, "get", "account", "imp-consumer", "--output", "json");
        Assert.Equal("林澄舟先生", consumer.JsonLines[0].GetProperty("display_name").GetString());
    }

    [Fact]
    public async Task A_clean_file_imports_fully_and_a_rerun_reports_everything_unchanged()
    {
        var accounts = Write("clean-accounts.jsonl", """
            {"account_id":"clean-1","display_name":"广东省昊澎交通运输事务中心","kind":"ACCOUNT_KIND_BUSINESS","tier":"STRATEGIC_TIER_BUREAU_OR_PROVINCE","region":"广东省"}
            {"account_id":"clean-2","display_name":"广东省昊澎交通运输事务中心广州分中心","kind":"ACCOUNT_KIND_BUSINESS","tier":"STRATEGIC_TIER_LOCAL_OR_OTHER","parent_account_id":"clean-1"}
            """.Replace("            ", ""));
        var run = await CliRunner.RunAsync(silo, "import", "accounts", accounts, "--output", "json"); // with the progress bar on (stderr; on a non-interactive console what it prints depends on timing)
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, Count(run, "created"));
        Assert.False(File.Exists(accounts + ".rejects.csv"));

        var revenue = Write("clean-revenue.csv", """
            event_id,account_id,amount_minor,currency_code,occurred_at
            inv-1,clean-1,120000000,CNY,2026-11-20T02:00:00Z
            inv-2,clean-2,3000000,CNY,2026-10-01T02:00:00Z
            cn-1,clean-1,-5000000,CNY,2026-11-21T02:00:00Z
            inv-old,clean-1,9900,CNY,2024-01-01T02:00:00Z
            """.Replace("            ", ""));
        var first = await CliRunner.RunAsync(silo, "import", "revenue", revenue, "--no-progress", "--output", "json");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(3, Count(first, "created"));
        Assert.Equal(1, Count(first, "expired"));

        var second = await CliRunner.RunAsync(silo, "import", "revenue", revenue, "--no-progress", "--output", "json");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0, Count(second, "created"));
        Assert.Equal(3, Count(second, "unchanged"));

        var again = await CliRunner.RunAsync(silo, "import", "accounts", accounts, "--no-progress", "--output", "json");
        Assert.Equal(2, Count(again, "unchanged"));
    }

    [Fact]
    public async Task Revenue_rows_with_errors_are_rejected_by_line_and_the_rest_is_recorded()
    {
        var accounts = Write("rev-accounts.csv", "account_id,display_name,kind,tier\nrev-1,华岳二局,BUSINESS,BUREAU_OR_PROVINCE\n");
        Assert.Equal(0, (await CliRunner.RunAsync(silo, "import", "accounts", accounts, "--no-progress")).ExitCode);
        var revenue = Write("rev.jsonl", """
            {"event_id":"r-1","account_id":"rev-1","amount_minor":"100","currency_code":"CNY","occurred_at":"2026-11-20T02:00:00Z"}
            {"event_id":"r-2","account_id":"nobody","amount_minor":"100","currency_code":"CNY","occurred_at":"2026-11-20T02:00:00Z"}
            {"event_id":"r-3","account_id":"rev-1","amount_minor":"ten","currency_code":"CNY","occurred_at":"2026-11-20T02:00:00Z"}

            {"event_id":"r-4","account_id":"rev-1","amount_minor":"100","currency_code":"USD","occurred_at":"2026-11-20T02:00:00Z"}
            {"event_id":"r-5","account_id":"rev-1","amount_minor":"250","currency_code":"CNY","occurred_at":"2026-11-21T02:00:00Z"}
            """.Replace("            ", ""));
        var run = await CliRunner.RunAsync(silo, "import", "revenue", revenue, "--no-progress", "--output", "json", "--batch-size", "2");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(2, Count(run, "created"));
        var rejects = run.JsonLines[0].GetProperty("rejects").EnumerateArray().ToList();
        Assert.Equal([2L, 3L, 5L], rejects.Select(r => r.GetProperty("line").GetInt64()));
        Assert.StartsWith("UNKNOWN_ACCOUNT", rejects[0].GetProperty("reason").GetString());
        Assert.StartsWith("CURRENCY_NOT_ACCEPTED", rejects[2].GetProperty("reason").GetString());
    }
}
