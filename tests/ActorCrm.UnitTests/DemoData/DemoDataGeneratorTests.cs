using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using ActorCrm.Api.V1;
using ActorCrm.DemoData;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Account = ActorCrm.Api.V1.Account;
using Activity = ActorCrm.Api.V1.Activity;
using Contact = ActorCrm.Api.V1.Contact;
using Opportunity = ActorCrm.Api.V1.Opportunity;

namespace ActorCrm.UnitTests.DemoData;

public sealed partial class DemoDataGeneratorTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 15, 10, 30, 0, TimeSpan.FromHours(8));

    private static readonly Lazy<DemoDataSet> DefaultBook = new(() => DemoDataGenerator.Generate(new DemoDataOptions(Anchor: Anchor)));

    private static readonly string[] ActivityTypes =
    [
        "visit", "technical_exchange", "business_event", "site_visit", "product_demo",
        "phone_call", "reference_project", "entertainment", "proposal", "negotiation",
    ];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    private static DemoDataSet Book(int accounts, int seed = 42) =>
        accounts == 60 && seed == 42 ? DefaultBook.Value : DemoDataGenerator.Generate(new DemoDataOptions(accounts, seed, Anchor));

    private static IEnumerable<IMessage> Messages(DemoDataSet set) =>
        set.Accounts.Cast<IMessage>().Concat(set.Contacts).Concat(set.Opportunities).Concat(set.Activities);

    private static byte[] Serialize(DemoDataSet set)
    {
        using var stream = new MemoryStream();
        foreach (var message in Messages(set)) message.WriteDelimitedTo(stream);
        return stream.ToArray();
    }

    // ---- determinism -------------------------------------------------------------------------

    [Theory]
    [InlineData(60, 42)]
    [InlineData(3, 1)]
    [InlineData(700, 7)]
    public void Same_seed_gives_byte_identical_output(int accounts, int seed)
    {
        var first = DemoDataGenerator.Generate(new DemoDataOptions(accounts, seed, Anchor));
        var second = DemoDataGenerator.Generate(new DemoDataOptions(accounts, seed, Anchor));
        Assert.Equal(Serialize(first), Serialize(second));
    }

    [Fact]
    public void Different_seed_gives_different_output()
    {
        var a = DemoDataGenerator.Generate(new DemoDataOptions(60, 1, Anchor));
        var b = DemoDataGenerator.Generate(new DemoDataOptions(60, 2, Anchor));
        Assert.NotEqual(Serialize(a), Serialize(b));
    }

    [Fact]
    public void Null_anchor_means_the_fixed_default_anchor_not_the_clock()
    {
        var implicitAnchor = DemoDataGenerator.Generate(new DemoDataOptions(30, 5));
        var explicitAnchor = DemoDataGenerator.Generate(new DemoDataOptions(30, 5, DemoDataGenerator.DefaultAnchor));
        Assert.Equal(Serialize(explicitAnchor), Serialize(implicitAnchor));
    }

    [Fact]
    public void Zero_accounts_give_an_empty_book_and_bad_sizes_are_rejected()
    {
        var empty = DemoDataGenerator.Generate(new DemoDataOptions(0));
        Assert.Empty(empty.Accounts);
        Assert.Empty(empty.Contacts);
        Assert.Empty(empty.Opportunities);
        Assert.Empty(empty.Activities);
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoDataGenerator.Generate(new DemoDataOptions(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoDataGenerator.Generate(new DemoDataOptions(DemoDataGenerator.MaxAccounts + 1)));
    }

    // ---- ids and references ------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(60)]
    [InlineData(700)]
    public void Ids_are_valid_and_unique(int accounts)
    {
        var book = Book(accounts);
        Assert.Equal(accounts, book.Accounts.Count);
        AssertUniqueValidIds(book.Accounts.Select(a => a.AccountId));
        AssertUniqueValidIds(book.Contacts.Select(c => c.ContactId)); // contact ids are global
        foreach (var group in book.Opportunities.GroupBy(o => o.AccountId))
            AssertUniqueValidIds(group.Select(o => o.OpportunityId));
        foreach (var group in book.Activities.GroupBy(a => a.AccountId))
            AssertUniqueValidIds(group.Select(a => a.ActivityId));
        foreach (var account in book.Accounts)
        {
            AssertUniqueValidIds(account.OrganisationProfile.Units.Select(u => u.UnitId));
            AssertUniqueValidIds(account.AccountTeam.Select(m => m.UserId));
            Assert.Matches(IdPattern(), account.Owner);
            Assert.Contains(account.AccountTeam, m => m.UserId == account.Owner && m.Role == TeamRole.AccountManager);
            Assert.Equal(account.Competitors.Count, account.Competitors.Select(c => c.Competitor).Distinct().Count());
            var unitIds = account.OrganisationProfile.Units.Select(u => u.UnitId).ToHashSet();
            Assert.All(account.OrganisationProfile.Units, u => Assert.True(u.ParentUnitId.Length == 0 || (u.ParentUnitId != u.UnitId && unitIds.Contains(u.ParentUnitId))));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(60)]
    [InlineData(700)]
    public void Parents_exist_and_precede_their_children(int accounts)
    {
        var book = Book(accounts);
        var seen = new Dictionary<string, Account>();
        foreach (var account in book.Accounts)
        {
            if (account.ParentAccountId.Length > 0)
            {
                Assert.True(seen.TryGetValue(account.ParentAccountId, out var parent), $"{account.AccountId}'s parent {account.ParentAccountId} does not come first");
                Assert.True(parent!.Tier < account.Tier, $"{account.AccountId} is not below its parent's tier");
                Assert.True(Depth(account, seen) <= 3, $"{account.AccountId} is deeper than 3");
            }
            seen.Add(account.AccountId, account);
        }
    }

    private static int Depth(Account account, Dictionary<string, Account> byId)
    {
        var depth = 1;
        while (account.ParentAccountId.Length > 0)
        {
            account = byId[account.ParentAccountId];
            depth++;
        }
        return depth;
    }

    [Fact]
    public void All_three_tiers_are_present_in_realistic_shares()
    {
        var book = Book(60);
        var tiers = book.Accounts.GroupBy(a => a.Tier).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, tiers[StrategicTier.NationalHq]);
        Assert.Equal(15, tiers[StrategicTier.BureauOrProvince]);
        Assert.Equal(42, tiers[StrategicTier.LocalOrOther]);
        Assert.All(book.Accounts.Where(a => a.Tier == StrategicTier.NationalHq), a => Assert.Empty(a.ParentAccountId));
        // Bureaus under a group and provincial units on their own; local units under them and independent ones.
        Assert.Contains(book.Accounts, a => a.Tier == StrategicTier.BureauOrProvince && a.ParentAccountId.Length > 0);
        Assert.Contains(book.Accounts, a => a.Tier == StrategicTier.BureauOrProvince && a.ParentAccountId.Length == 0);
        Assert.Contains(book.Accounts, a => a.Tier == StrategicTier.LocalOrOther && a.ParentAccountId.Length > 0);
        Assert.Contains(book.Accounts, a => a.Tier == StrategicTier.LocalOrOther && a.ParentAccountId.Length == 0);
        Assert.Contains(book.Accounts, a => a.DisplayName == "恒鼎建设股份有限公司" && a.AccountId == "hengding-hq");
        var consumers = book.Accounts.Count(a => a.Kind == AccountKind.Consumer);
        Assert.InRange(consumers, 1, 6);
    }

    [Fact]
    public void Every_web_and_mail_domain_is_reserved()
    {
        // The book's organisations and people are invented; their web and e-mail addresses are under
        // reserved domains (RFC 2606): *.example, example.com, example.net.
        var book = Book(700);
        static bool Reserved(string host) =>
            host.EndsWith(".example", StringComparison.Ordinal) || host is "example.com" or "example.net";
        var channels = book.Accounts.SelectMany(a => a.OrganisationProfile.Channels).Concat(book.Contacts.SelectMany(c => c.Channels)).ToList();
        var emails = channels.Where(c => c.Type == ChannelType.Email).ToList();
        var websites = channels.Where(c => c.Type == ChannelType.Website).ToList();
        Assert.NotEmpty(emails);
        Assert.NotEmpty(websites);
        Assert.All(emails, c => Assert.True(Reserved(c.Value[(c.Value.IndexOf('@') + 1)..]), c.Value));
        Assert.All(websites, c => Assert.True(Reserved(new Uri(c.Value).Host), c.Value));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(700)]
    public void Contacts_belong_to_earlier_accounts_and_report_to_earlier_colleagues(int accounts)
    {
        var book = Book(accounts);
        var units = book.Accounts.ToDictionary(a => a.AccountId, a => a.OrganisationProfile.Units.Select(u => u.UnitId).ToHashSet());
        var seen = new Dictionary<string, Contact>();
        foreach (var contact in book.Contacts)
        {
            Assert.True(units.ContainsKey(contact.AccountId), $"{contact.ContactId}: unknown account {contact.AccountId}");
            if (contact.OrgUnitId.Length > 0) Assert.Contains(contact.OrgUnitId, units[contact.AccountId]);
            if (contact.ReportsToContactId.Length > 0)
            {
                Assert.True(seen.TryGetValue(contact.ReportsToContactId, out var boss), $"{contact.ContactId} reports to a later or unknown contact");
                Assert.Equal(contact.AccountId, boss!.AccountId);
            }
            seen.Add(contact.ContactId, contact);
        }
        foreach (var account in book.Accounts)
        {
            var count = book.Contacts.Count(c => c.AccountId == account.AccountId);
            Assert.InRange(count, 2, 8);
        }
    }

    [Theory]
    [InlineData(60)]
    [InlineData(700)]
    public void Opportunities_and_activities_reference_their_own_account(int accounts)
    {
        var book = Book(accounts);
        var accountIds = book.Accounts.Select(a => a.AccountId).ToHashSet();
        var contactsOf = book.Contacts.GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => g.Select(c => c.ContactId).ToHashSet());
        var oppsOf = book.Opportunities.GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g => g.Select(o => o.OpportunityId).ToHashSet());

        foreach (var o in book.Opportunities)
        {
            Assert.Contains(o.AccountId, accountIds);
            Assert.All(o.BuyingCentre, m => Assert.Contains(m.ContactId, contactsOf[o.AccountId]));
            Assert.Equal(o.BuyingCentre.Count, o.BuyingCentre.Select(m => m.ContactId).Distinct().Count());
            Assert.InRange(o.AmountMinor, 0, 1_000_000_000_000_000);
            Assert.InRange(o.BudgetMinor, 0, 1_000_000_000_000_000);
            Assert.InRange(o.ProbabilityPercent, 0, 100);
            Assert.Equal("CNY", o.CurrencyCode);
            if (o.Stage == Stage.Closed)
            {
                Assert.Contains(o.Status, new[] { OpportunityStatus.Won, OpportunityStatus.Lost });
                Assert.Equal(o.Status == OpportunityStatus.Won ? 100 : 0, o.ProbabilityPercent);
            }
            else
            {
                Assert.Equal(OpportunityStatus.Open, o.Status);
                Assert.InRange(o.ProbabilityPercent, 1, 99);
            }
            Assert.Equal(o.Competitors.Count, o.Competitors.Distinct().Count());
        }
        foreach (var stage in Enum.GetValues<Stage>().Where(s => s != Stage.Unspecified))
            Assert.Contains(book.Opportunities, o => o.Stage == stage);

        var earliest = Anchor.AddMonths(-18);
        foreach (var a in book.Activities)
        {
            Assert.Contains(a.AccountId, accountIds);
            Assert.Contains(a.Type, ActivityTypes);
            var at = a.OccurredAt.ToDateTimeOffset();
            Assert.InRange(at, earliest, Anchor);
            Assert.NotEmpty(a.ContactIds);
            Assert.All(a.ContactIds, id => Assert.Contains(id, contactsOf[a.AccountId]));
            Assert.Equal(a.ContactIds.Count, a.ContactIds.Distinct().Count());
            if (a.OpportunityId.Length > 0) Assert.Contains(a.OpportunityId, oppsOf[a.AccountId]);
            Assert.Matches(IdPattern(), a.Owner);
        }
        foreach (var type in ActivityTypes) Assert.Contains(book.Activities, a => a.Type == type);
    }

    [Fact]
    public void Open_deals_decide_after_the_anchor_and_closed_ones_before()
    {
        var today = DateOnly.FromDateTime(Anchor.DateTime);
        foreach (var o in Book(700).Opportunities)
        {
            var d = o.Timetable.ExpectedDecisionDate;
            var decision = new DateOnly(d.Year, d.Month, d.Day);
            if (o.Stage == Stage.Closed) Assert.True(decision < today, o.Name);
            else Assert.True(decision > today, o.Name);
            foreach (var m in o.Timetable.Milestones)
                Assert.Equal(new DateOnly(m.DueDate.Year, m.DueDate.Month, m.DueDate.Day) < today, m.Done);
        }
    }

    // ---- field rules of the contract ---------------------------------------------------------

    [Theory]
    [InlineData(60, 42)]
    [InlineData(700, 9)]
    public void Enums_are_never_unspecified_except_an_unknown_purchasing_process(int accounts, int seed)
    {
        foreach (var message in Messages(Book(accounts, seed)))
        {
            Walk(message, (field, value, owner) =>
            {
                if (field.FieldType != FieldType.Enum || value is IList) return;
                if (field.FullName == "actorcrm.v1.Account.abc_class") return; // output only: set by the silo on list rows
                var number = Convert.ToInt32(value);
                Assert.True(Enum.IsDefined(value.GetType(), value), $"{field.FullName} has an unknown value {number}");
                if (number != 0) return;
                Assert.True(field.FullName == "actorcrm.v1.PurchasingProcess.method", $"{field.FullName} is UNSPECIFIED");
                var process = (PurchasingProcess)owner;
                Assert.Empty(process.Steps);
                Assert.Empty(process.Notes);
            });
        }
    }

    [Theory]
    [InlineData(60, 42)]
    [InlineData(700, 9)]
    public void Strings_and_lists_respect_the_contract_limits(int accounts, int seed)
    {
        foreach (var message in Messages(Book(accounts, seed)))
        {
            Walk(message, (field, value, _) =>
            {
                if (value is IList list)
                {
                    if (ListLimits.TryGetValue(field.FullName, out var maxItems))
                        Assert.True(list.Count <= maxItems, $"{field.FullName} has {list.Count} items");
                    return;
                }
                if (value is not string text) return;
                var max = LongTexts.Contains(field.FullName) ? 4000 : ProfileTexts.Contains(field.FullName) ? 2000 : 200;
                var length = text.EnumerateRunes().Count();
                Assert.True(length <= max, $"{field.FullName} is {length} characters long");
                var multiLine = MultiLine.Contains(field.FullName);
                foreach (var rune in text.EnumerateRunes())
                    Assert.False(Rune.IsControl(rune) && !(multiLine && rune.Value is '\n' or '\r' or '\t'),
                        $"{field.FullName} contains U+{rune.Value:X4}: {text}");
                if (Required.Contains(field.FullName)) Assert.False(string.IsNullOrWhiteSpace(text), $"{field.FullName} is empty");
                if (IdFields.Contains(field.FullName) && text.Length > 0) Assert.Matches(IdPattern(), text);
            });
        }
    }

    [Fact]
    public void Numbers_and_dates_are_in_range()
    {
        var book = Book(700, 3);
        foreach (var account in book.Accounts)
        {
            var profile = account.OrganisationProfile;
            Assert.True(profile.EmployeeCount >= 0);
            Assert.InRange(profile.YearlyPurchaseVolumeMinor, 0, 1_000_000_000_000_000);
            Assert.InRange(profile.Channels.Count, 2, 4);
            Assert.All(account.InstalledBase, i =>
            {
                Assert.InRange(i.Satisfaction, 0, 5);
                Assert.True(i.Quantity >= 0);
                _ = new DateOnly(i.Since.Year, i.Since.Month, i.Since.Day);
            });
            Assert.All(account.Competitors, c => Assert.InRange(c.CustomerSatisfaction, 0, 5));
            if (account.Tier != StrategicTier.LocalOrOther) Assert.InRange(account.Competitors.Count, 2, 3);
        }
        foreach (var o in book.Opportunities)
            foreach (var m in o.Timetable.Milestones)
                _ = new DateOnly(m.DueDate.Year, m.DueDate.Month, m.DueDate.Day);
    }

    [Fact]
    public void Output_only_fields_stay_unset()
    {
        var book = Book(60);
        Assert.All(book.Accounts, a =>
        {
            Assert.Empty(a.Etag);
            Assert.Null(a.CreateTime);
            Assert.Null(a.UpdateTime);
            Assert.Equal(0, a.ContactCount);
        });
        Assert.All(book.Contacts, c => Assert.True(c.Etag.Length == 0 && c.CreateTime is null && c.UpdateTime is null));
        Assert.All(book.Opportunities, o => Assert.True(o.Etag.Length == 0 && o.CreateTime is null && o.UpdateTime is null));
    }

    [Fact]
    public void Text_is_Chinese_and_the_four_intelligence_categories_are_filled()
    {
        var book = Book(60);
        Assert.All(book.Accounts, a => Assert.Matches(Chinese(), a.DisplayName));
        Assert.All(book.Accounts, a => Assert.Matches(Chinese(), a.OrganisationProfile.BusinessSituation));
        Assert.All(book.Contacts, c => Assert.Matches(Chinese(), c.DisplayName + c.Title));
        Assert.All(book.Opportunities, o => Assert.Matches(Chinese(), o.Name + o.ProblemToSolve));
        Assert.All(book.Activities, a => Assert.Matches(Chinese(), a.Subject + a.Notes));
        Assert.All(book.Accounts.SelectMany(a => a.Competitors), c =>
        {
            Assert.Matches(Chinese(), c.Competitor);
            Assert.NotEmpty(c.ProductsInUse);
            Assert.Matches(Chinese(), c.SalesRepName);
            Assert.Matches(Chinese(), c.SalesRepSellingStyle);
            Assert.Matches(Chinese(), c.SalesRepRelationship);
            Assert.Matches(Chinese(), c.Background);
        });

        static bool Complete(PersonalProfile p) =>
            p.Family.Length > 0 && p.Hometown.Length > 0 && p.FavouriteBooks.Count > 0 && p.University.Length > 0 &&
            p.LastVacation.Length > 0 && p.NextVacationPlan.Length > 0 && p.Sports.Count > 0 &&
            p.FavouriteRestaurants.Count > 0 && p.FavouriteFood.Count > 0 && p.Notes.Length > 0;
        var complete = book.Contacts.Count(c => Complete(c.PersonalProfile));
        Assert.True(complete * 2 > book.Contacts.Count, $"only {complete} of {book.Contacts.Count} contact profiles are complete");
        Assert.All(book.Contacts, c => Assert.NotEqual(RelationshipStrength.Unspecified, c.RelationshipStrength));

        Assert.All(book.Opportunities.Where(o => o.PurchasingProcess.Steps.Count > 0), o => Assert.NotEqual(PurchasingMethod.Unspecified, o.PurchasingProcess.Method));
        Assert.Contains(book.Opportunities, o => o.BuyingCentre.Any(m => m.Role == BuyingRole.DecisionMaker));
        Assert.Contains(book.Opportunities, o => o.Timetable.Milestones.Any(m => m.Name == "开标"));
    }

    [Fact]
    public void Ten_thousand_accounts_generate()
    {
        var book = DemoDataGenerator.Generate(new DemoDataOptions(10_000, 2026, Anchor));
        Assert.Equal(10_000, book.Accounts.Count);
        Assert.Equal(10_000, book.Accounts.Select(a => a.AccountId).Distinct().Count());
        Assert.Equal(book.Contacts.Count, book.Contacts.Select(c => c.ContactId).Distinct().Count());
        Assert.InRange(book.Accounts.Count(a => a.Tier == StrategicTier.NationalHq), 450, 550);
        Assert.InRange(book.Accounts.Count(a => a.Tier == StrategicTier.BureauOrProvince), 2_400, 2_600);
        Assert.InRange(book.Revenue.Count, 300_000, 600_000);
        var ids = new HashSet<string>();
        foreach (var account in book.Accounts)
        {
            Assert.Matches(IdPattern(), account.AccountId);
            Assert.True(account.ParentAccountId.Length == 0 || ids.Contains(account.ParentAccountId));
            ids.Add(account.AccountId);
        }
    }

    // ---- revenue -----------------------------------------------------------------------------

    private static readonly Lazy<DemoDataSet> RevenueBook = new(() => DemoDataGenerator.Generate(new DemoDataOptions(2_000, 11, Anchor)));

    private static byte[] SerializeRevenue(DemoDataSet set)
    {
        using var stream = new MemoryStream();
        foreach (var e in set.Revenue) e.WriteDelimitedTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Revenue_is_deterministic_and_depends_on_the_seed()
    {
        var first = DemoDataGenerator.Generate(new DemoDataOptions(60, 42, Anchor));
        Assert.NotEmpty(first.Revenue);
        Assert.Equal(SerializeRevenue(first), SerializeRevenue(Book(60)));
        Assert.NotEqual(SerializeRevenue(first), SerializeRevenue(DemoDataGenerator.Generate(new DemoDataOptions(60, 43, Anchor))));
        Assert.NotEqual(SerializeRevenue(first), SerializeRevenue(DemoDataGenerator.Generate(new DemoDataOptions(60, 42, Anchor.AddDays(1)))));
        Assert.Empty(DemoDataGenerator.Generate(new DemoDataOptions(0, 42, Anchor)).Revenue);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(60)]
    [InlineData(700)]
    public void Revenue_events_are_valid_and_sorted(int accounts)
    {
        var book = Book(accounts);
        var accountIds = book.Accounts.Select(a => a.AccountId).ToHashSet();
        var earliest = Anchor.AddMonths(-18);
        var seen = new HashSet<(string, string)>();
        RevenueEvent? previous = null;
        foreach (var e in book.Revenue)
        {
            Assert.Contains(e.AccountId, accountIds);
            Assert.Matches(IdPattern(), e.EventId);
            Assert.True(seen.Add((e.AccountId, e.EventId)), $"{e.AccountId}/{e.EventId} is not unique");
            Assert.Equal("CNY", e.CurrencyCode);
            Assert.InRange(e.AmountMinor, -1_000_000_000_000_000, 1_000_000_000_000_000);
            Assert.NotEqual(0, e.AmountMinor);
            Assert.NotNull(e.OccurredAt);
            var at = e.OccurredAt.ToDateTimeOffset();
            Assert.True(at >= earliest && at < Anchor, $"{e.AccountId}/{e.EventId} occurred at {at:O}");
            var beijing = at.ToOffset(TimeSpan.FromHours(8));
            Assert.InRange(beijing.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(17.5));
            Assert.StartsWith(e.AmountMinor < 0 ? $"cn-{beijing.Year}-" : $"inv-{beijing.Year}-", e.EventId);
            if (previous is not null)
            {
                var order = previous.OccurredAt.CompareTo(e.OccurredAt);
                if (order == 0) order = string.CompareOrdinal(previous.AccountId, e.AccountId);
                if (order == 0) order = string.CompareOrdinal(previous.EventId, e.EventId);
                Assert.True(order < 0, $"{e.AccountId}/{e.EventId} is out of order");
            }
            previous = e;
        }
        if (accounts >= 60) Assert.NotEmpty(book.Revenue);
    }

    [Fact]
    public void Revenue_is_concentrated_like_a_real_book()
    {
        var book = RevenueBook.Value;
        var from = Anchor.AddDays(-365);
        var lastYear = book.Revenue
            .Where(e => e.OccurredAt.ToDateTimeOffset() > from)
            .GroupBy(e => e.AccountId)
            .Select(g => g.Sum(e => (decimal)e.AmountMinor))
            .Where(total => total > 0)
            .OrderByDescending(total => total)
            .ToList();
        var top = (int)Math.Ceiling(0.2 * lastYear.Count);
        var share = lastYear.Take(top).Sum() / lastYear.Sum();
        Assert.InRange(share, 0.65m, 0.9m);

        // About a tenth of the accounts bought nothing; the others bought once to a few hundred times.
        var perAccount = book.Revenue.GroupBy(e => e.AccountId).ToDictionary(g => g.Key, g => g.ToList());
        var without = book.Accounts.Count - perAccount.Count;
        Assert.InRange(without, 100, 300);
        Assert.InRange(perAccount.Values.Max(l => l.Count), 100, 400);
        Assert.Contains(perAccount.Values, l => l.Count == 1);
        Assert.InRange(book.Revenue.Count, 30_000, 120_000);

        // Bigger tiers buy more on average, but not strictly: some local units outsell some bureaus.
        var total = perAccount.ToDictionary(p => p.Key, p => p.Value.Sum(e => (decimal)e.AmountMinor));
        decimal Average(StrategicTier tier) =>
            book.Accounts.Where(a => a.Tier == tier).Average(a => total.GetValueOrDefault(a.AccountId));
        Assert.True(Average(StrategicTier.NationalHq) > Average(StrategicTier.BureauOrProvince));
        Assert.True(Average(StrategicTier.BureauOrProvince) > Average(StrategicTier.LocalOrOther));
        var bureaus = book.Accounts.Where(a => a.Tier == StrategicTier.BureauOrProvince && total.ContainsKey(a.AccountId))
            .Select(a => total[a.AccountId]).Order().ToList();
        var bureauMedian = bureaus[bureaus.Count / 2];
        Assert.Contains(book.Accounts, a => a.Tier == StrategicTier.LocalOrOther && total.GetValueOrDefault(a.AccountId) > bureauMedian);

        // Orders from 1万元 (consumers) to 5000万元.
        Assert.All(book.Revenue.Where(e => e.AmountMinor > 0), e => Assert.InRange(e.AmountMinor, 1_000_000, 5_000_000_000));
    }

    [Fact]
    public void Revenue_has_a_few_refunds_that_credit_earlier_invoices()
    {
        var book = RevenueBook.Value;
        var refunds = book.Revenue.Where(e => e.AmountMinor < 0).ToList();
        Assert.NotEmpty(refunds);
        Assert.InRange((double)refunds.Count / book.Revenue.Count, 0.01, 0.05);
        var invoiced = book.Revenue.Where(e => e.AmountMinor > 0).GroupBy(e => e.AccountId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var refund in refunds)
        {
            // Each credit note takes back at most one earlier invoice of the same account.
            Assert.True(invoiced.TryGetValue(refund.AccountId, out var invoices), $"{refund.AccountId} has a refund but no invoice");
            Assert.Contains(invoices, i => i.OccurredAt.CompareTo(refund.OccurredAt) <= 0 && i.AmountMinor >= -refund.AmountMinor);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void AssertUniqueValidIds(IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            Assert.Matches(IdPattern(), id);
            Assert.True(seen.Add(id), $"id {id} is not unique");
        }
    }

    /// <summary>Visits every set field (repeated items one by one, and the list itself) of a message tree.</summary>
    private static void Walk(IMessage message, Action<FieldDescriptor, object, IMessage> visit)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (value is null) continue;
            if (field.IsRepeated)
            {
                visit(field, value, message);
                foreach (var item in (IList)value) Visit(field, item, message, visit);
            }
            else
            {
                Visit(field, value, message, visit);
            }
        }
    }

    private static void Visit(FieldDescriptor field, object value, IMessage owner, Action<FieldDescriptor, object, IMessage> visit)
    {
        if (value is IMessage child)
        {
            if (child is Google.Protobuf.WellKnownTypes.Timestamp) return;
            Walk(child, visit);
        }
        else
        {
            visit(field, value, owner);
        }
    }

    private const string P = "actorcrm.v1.";

    private static readonly HashSet<string> LongTexts =
    [
        P + "OrganisationProfile.business_situation", P + "OrganisationProfile.industry_situation",
        P + "CompetitorIntel.sales_rep_selling_style", P + "CompetitorIntel.sales_rep_relationship", P + "CompetitorIntel.background",
        P + "Opportunity.problem_to_solve", P + "Opportunity.purchasing_plan", P + "PurchasingProcess.notes", P + "Activity.notes",
    ];

    private static readonly HashSet<string> ProfileTexts =
    [
        P + "PersonalProfile.family", P + "PersonalProfile.hometown", P + "PersonalProfile.university",
        P + "PersonalProfile.last_vacation", P + "PersonalProfile.next_vacation_plan", P + "PersonalProfile.notes",
    ];

    private static readonly HashSet<string> MultiLine =
    [
        .. LongTexts,
        P + "PersonalProfile.family", P + "PersonalProfile.last_vacation", P + "PersonalProfile.next_vacation_plan", P + "PersonalProfile.notes",
    ];

    private static readonly HashSet<string> Required =
    [
        P + "Account.account_id", P + "Account.display_name", P + "OrganisationUnit.unit_id", P + "OrganisationUnit.name",
        P + "CommunicationChannel.value", P + "InstalledBaseItem.vendor", P + "InstalledBaseItem.product",
        P + "CompetitorIntel.competitor", P + "CompetitorIntel.products_in_use", P + "TeamMember.user_id",
        P + "Contact.contact_id", P + "Contact.account_id", P + "Contact.display_name",
        P + "PersonalProfile.favourite_books", P + "PersonalProfile.sports", P + "PersonalProfile.favourite_restaurants", P + "PersonalProfile.favourite_food",
        P + "Opportunity.account_id", P + "Opportunity.opportunity_id", P + "Opportunity.name", P + "Opportunity.currency_code",
        P + "Milestone.name", P + "PurchasingProcess.steps", P + "BuyingCentreMember.contact_id", P + "Opportunity.competitors",
        P + "Activity.account_id", P + "Activity.activity_id", P + "Activity.type", P + "Activity.contact_ids",
    ];

    private static readonly HashSet<string> IdFields =
    [
        P + "Account.account_id", P + "Account.parent_account_id", P + "Account.owner", P + "TeamMember.user_id",
        P + "OrganisationUnit.unit_id", P + "OrganisationUnit.parent_unit_id",
        P + "Contact.contact_id", P + "Contact.account_id", P + "Contact.org_unit_id", P + "Contact.reports_to_contact_id",
        P + "Opportunity.account_id", P + "Opportunity.opportunity_id", P + "BuyingCentreMember.contact_id",
        P + "Activity.account_id", P + "Activity.activity_id", P + "Activity.contact_ids", P + "Activity.opportunity_id", P + "Activity.owner",
    ];

    private static readonly Dictionary<string, int> ListLimits = new()
    {
        [P + "Account.account_team"] = 50,
        [P + "OrganisationProfile.units"] = 200,
        [P + "OrganisationProfile.channels"] = 20,
        [P + "Account.installed_base"] = 200,
        [P + "Account.competitors"] = 50,
        [P + "CompetitorIntel.products_in_use"] = 50,
        [P + "Contact.channels"] = 20,
        [P + "PersonalProfile.favourite_books"] = 20,
        [P + "PersonalProfile.sports"] = 20,
        [P + "PersonalProfile.favourite_restaurants"] = 20,
        [P + "PersonalProfile.favourite_food"] = 20,
        [P + "Opportunity.buying_centre"] = 50,
        [P + "Opportunity.competitors"] = 20,
        [P + "PurchasingTimetable.milestones"] = 50,
        [P + "PurchasingProcess.steps"] = 50,
        [P + "Activity.contact_ids"] = 50,
    };
}
