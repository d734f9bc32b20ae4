using ActorCrm.Api.V1;
using ActorCrm.Client.Import;
using ActorCrm.DemoData;
using Google.Protobuf;

namespace ActorCrm.IntegrationTests.Cli;

/// <summary>CSV cells ↔ messages, without a silo.</summary>
public class CsvMappingTests
{
    [Fact]
    public void Every_demo_record_round_trips_through_csv_cells()
    {
        var data = DemoDataGenerator.Generate(new DemoDataOptions(40, 3));
        foreach (var (kind, items) in new (ImportKind, IEnumerable<IMessage>)[]
        {
            (ImportKind.Accounts, data.Accounts), (ImportKind.Contacts, data.Contacts), (ImportKind.Opportunities, data.Opportunities),
            (ImportKind.Activities, data.Activities), (ImportKind.Revenue, data.Revenue.Take(200)),
        })
        {
            var mapping = CsvMapping.ForHeader(kind, kind.Columns().Select(c => c.Name).ToList());
            foreach (var item in items)
                Assert.Equal(Kinds.WithoutOutputOnly(item), mapping.Parse(CsvMapping.Cells(kind, item)));
        }
    }

    [Fact]
    public void Friendly_cell_forms_are_accepted()
    {
        var mapping = CsvMapping.ForHeader(ImportKind.Accounts, ["account_id", "display_name", "kind", "tier", "organisation_profile"]);
        var account = (Account)mapping.Parse(["a-1", "华岳铁路", "business", "national_hq", "{\"employee_count\": 12}"]);
        Assert.Equal(AccountKind.Business, account.Kind);
        Assert.Equal(StrategicTier.NationalHq, account.Tier);
        Assert.Equal(12, account.OrganisationProfile.EmployeeCount);

        var activities = CsvMapping.ForHeader(ImportKind.Activities, ["account_id", "activity_id", "type", "occurred_at", "contact_ids"]);
        var activity = (Activity)activities.Parse(["a-1", "v-1", "visit", "2026-11-20T10:00:00Z", "c-1; c-2"]);
        Assert.Equal(["c-1", "c-2"], activity.ContactIds);
    }

    [Fact]
    public void Bad_cells_name_the_column()
    {
        var mapping = CsvMapping.ForHeader(ImportKind.Accounts, ["account_id", "tier"]);
        var error = Assert.Throws<FormatException>(() => mapping.Parse(["a-1", "GALAXY"]));
        Assert.StartsWith("tier:", error.Message);
        Assert.Throws<FormatException>(() => mapping.Parse(["a-1"]));
        Assert.Throws<ActorCrm.Client.CliException>(() => CsvMapping.ForHeader(ImportKind.Accounts, ["account_id", "nmae"]));
    }
}
