using Google.Protobuf.WellKnownTypes;
using ActorCrm.Api.V1;

namespace ActorCrm.DemoData.Internal;

/// <summary>A generated contact and what deals and activities need to know about them.</summary>
internal sealed record Person(
    string Id, string Name, string Title, string UnitId, OrgUnitFunction Function,
    ContactLevel Level, RelationshipStrength Strength, bool IsExecutive, bool IsHead);

internal sealed partial class BookBuilder
{
    private static readonly (RelationshipStrength Strength, int Weight)[] Strengths =
    [
        (RelationshipStrength.Unknown, 10), (RelationshipStrength.None, 10), (RelationshipStrength.Weak, 25),
        (RelationshipStrength.Good, 35), (RelationshipStrength.Strong, 20),
    ];

    private List<Person> BuildContacts(AccountContext ctx)
    {
        var node = ctx.Node;
        var org = ctx.Org;
        var (min, max) = Orgs.ContactCount(node.Style, node.Tier);
        var count = _rng.Between(min, max);
        var people = new List<Person>(count);
        var execTitlesUsed = 0;

        Person Add(string title, UnitTemplate? unit, ContactLevel level, bool isExec, bool isHead, string reportsTo)
        {
            var (name, pinyin) = PersonName();
            var person = new Person(
                $"{node.Id}-c{people.Count + 1:D2}", name, title,
                unit?.Id ?? org.LeadId, unit?.Function ?? org.LeadFunction, level, WeightedStrength(), isExec, isHead);
            if (people.Count > 0 && _rng.Chance(8)) reportsTo = ""; // org chart not known yet
            var contact = new Contact
            {
                ContactId = person.Id,
                AccountId = node.Id,
                DisplayName = name,
                Title = title,
                OrgUnitId = person.UnitId,
                Level = level,
                ReportsToContactId = reportsTo,
                RelationshipStrength = person.Strength,
                PersonalProfile = PersonalProfile(node),
                PersonalDataBasis = PersonalDataBasis(),
            };
            AddContactChannels(node, contact, pinyin);
            _contacts.Add(contact);
            people.Add(person);
            return person;
        }

        string ExecutiveToReportTo()
        {
            var execs = people.FindAll(p => p.IsExecutive);
            return execs.Count == 0 ? "" : _rng.Chance(60) ? execs[0].Id : _rng.Pick(execs).Id;
        }

        void AddExecutive()
        {
            var title = org.ExecTitles[Math.Min(execTitlesUsed, org.ExecTitles.Length - 1)];
            execTitlesUsed++;
            Add(title, null, ContactLevel.Executive, isExec: true, isHead: false, people.Count == 0 ? "" : people[0].Id);
        }

        void AddHead(UnitTemplate unit) =>
            Add(unit.Head, unit, ContactLevel.Management, isExec: false, isHead: true, ExecutiveToReportTo());

        void AddStaff(UnitTemplate unit)
        {
            var title = _rng.Pick(unit.Staff);
            var level = title.Contains('副') ? ContactLevel.Management : ContactLevel.UserOrMaintainer;
            var head = people.Find(p => p.IsHead && p.UnitId == unit.Id);
            var reportsTo = head?.Id;
            if (reportsTo is null)
            {
                var managers = people.FindAll(p => p.Level != ContactLevel.UserOrMaintainer);
                reportsTo = managers.Count == 0 ? people[0].Id : _rng.Pick(managers).Id;
            }
            Add(title, unit, level, isExec: false, isHead: false, reportsTo);
        }

        bool HasHead(UnitTemplate unit) => people.Exists(p => p.IsHead && p.UnitId == unit.Id);

        AddExecutive();
        for (var i = 1; i < count; i++)
        {
            if (ctx.Units.Count == 0)
            {
                Add("家庭成员", null, ContactLevel.UserOrMaintainer, isExec: false, isHead: false, people[0].Id);
                continue;
            }
            if (i == 1)
            {
                AddHead(ctx.Units.Find(u => u.Function == OrgUnitFunction.Purchasing)!);
                continue;
            }
            if (i == 2)
            {
                var usingUnit = ctx.Units.Find(u => u.Function == OrgUnitFunction.Using)!;
                if (HasHead(usingUnit)) AddStaff(usingUnit); else AddHead(usingUnit);
                continue;
            }
            var roll = _rng.Next(100);
            var headless = ctx.Units.FindAll(u => !HasHead(u));
            if (roll < 15 && execTitlesUsed < org.ExecTitles.Length) AddExecutive();
            else if (roll < 60 && headless.Count > 0) AddHead(_rng.Pick(headless));
            else AddStaff(_rng.Pick(ctx.Units));
        }
        return people;
    }

    private RelationshipStrength WeightedStrength()
    {
        var roll = _rng.Next(100);
        foreach (var (strength, weight) in Strengths)
        {
            if (roll < weight) return strength;
            roll -= weight;
        }
        return RelationshipStrength.Good;
    }

    private void AddContactChannels(Node node, Contact contact, string pinyin)
    {
        contact.Channels.Capacity = 4;
        contact.Channels.Add(new CommunicationChannel { Type = ChannelType.Mobile, Value = Mobile(), Label = "手机" });
        if (node.Style != Style.Consumer && _rng.Chance(60))
            contact.Channels.Add(new CommunicationChannel { Type = ChannelType.Phone, Value = Landline(node.Province), Label = "办公室" });
        if (_rng.Chance(60))
        {
            var domain = node.Domain.Length > 0 ? node.Domain : _rng.Chance(50) ? "example.com" : "example.net"; // reserved domains only
            var label = node.Domain.Length > 0 ? "工作邮箱" : "个人邮箱";
            contact.Channels.Add(new CommunicationChannel { Type = ChannelType.Email, Value = $"{pinyin}@{domain}", Label = label });
        }
        if (_rng.Chance(50))
            contact.Channels.Add(new CommunicationChannel { Type = ChannelType.Wechat, Value = $"wx_{pinyin.Replace('.', '_')}{_rng.Between(10, 99)}", Label = "微信" });
    }

    /// <summary>
    /// The personal profile (客户的个人资料): complete for about 70% of contacts, partly known for 20%,
    /// barely known for 10%.
    /// </summary>
    /// <summary>
    /// Every demo profile is held on the person's consent, given a year before the book's anchor, for
    /// three years from the anchor (no random draw: the rest of the book stays as the seed makes it).
    /// </summary>
    private PersonalDataBasis PersonalDataBasis() => new()
    {
        Purpose = "大客户关系维护（key-account relationship management）",
        LegalBasis = LegalBasis.Consent,
        ConsentTime = Timestamp.FromDateTimeOffset(_anchor.AddDays(-365)),
        RetentionTime = Timestamp.FromDateTimeOffset(_anchor.AddYears(3)),
    };

    private PersonalProfile PersonalProfile(Node node)
    {
        var completeness = _rng.Next(100);
        var full = completeness < 70;
        var sparse = completeness >= 90;
        bool Known() => full || (!sparse && _rng.Chance(50));

        var profile = new PersonalProfile();
        var home = _rng.Pick(Catalog.Provinces);
        var homeCity = _rng.Pick(home.Cities);
        profile.Hometown = Share(home.Full + homeCity);
        if (Known()) profile.Family = Share(Family(node));
        if (Known()) AddPicked(profile.FavouriteBooks, Catalog.Books, _rng.Between(1, 3));
        if (Known())
            profile.University = Share($"{_rng.Pick(Catalog.Universities)}{_rng.Pick(Catalog.Majors)}专业，{_today.Year - _rng.Between(3, 35)}年毕业");
        if (Known())
            profile.LastVacation = Share($"{_today.Year - 1}年{_rng.Pick(Catalog.Holidays)}和家人去了{_rng.Pick(Catalog.Destinations)}。");
        if (Known())
            profile.NextVacationPlan = Share(_rng.Next(3) switch
            {
                0 => $"计划明年春节回{Text.CityBase(homeCity)}老家探亲。",
                1 => $"打算{_rng.Pick(Catalog.Holidays)}带家人去{_rng.Pick(Catalog.Destinations)}自驾游。",
                _ => $"年底前想陪父母去{_rng.Pick(Catalog.Destinations)}休养几天。",
            });
        if (Known()) AddPicked(profile.Sports, Catalog.Sports, _rng.Between(1, 2));
        if (Known())
        {
            var city = Text.CityBase(node.City.Length > 0 ? node.City : node.Province.Short);
            var picked = _rng.Sample(Catalog.RestaurantNames.Length, _rng.Between(1, 2));
            profile.FavouriteRestaurants.Capacity = picked.Length;
            foreach (var i in picked) profile.FavouriteRestaurants.Add(Share(city + Catalog.RestaurantNames[i]));
        }
        if (Known()) AddPicked(profile.FavouriteFood, Catalog.Foods, _rng.Between(1, 3));
        if (full || _rng.Chance(40))
        {
            var notes = _rng.Sample(Catalog.ContactNotes.Length, _rng.Between(1, 3));
            profile.Notes = Share(string.Join("\n", Array.ConvertAll(notes, i => Catalog.ContactNotes[i])));
        }
        return profile;
    }

    /// <summary>Adds <paramref name="count"/> distinct items of a catalog (the list sized exactly: big books hold many small lists).</summary>
    private void AddPicked(Google.Protobuf.Collections.RepeatedField<string> field, string[] catalog, int count)
    {
        var picked = _rng.Sample(catalog.Length, count);
        field.Capacity = picked.Length;
        foreach (var i in picked) field.Add(catalog[i]);
    }

    private static readonly string[] ChildStatus = ["正在读初中", "今年参加高考", "在读大学", "已参加工作", "刚上小学"];
    private static readonly string[] SpouseJobs = ["在中学任教", "在市人民医院工作", "在银行工作", "在设计院工作", "在事业单位工作", "自己经营一家小店"];

    private string Family(Node node)
    {
        var city = Text.CityBase(node.City.Length > 0 ? node.City : node.Province.Short);
        return _rng.Next(4) switch
        {
            0 => $"已婚，育有一{(_rng.Chance(50) ? "子" : "女")}，{_rng.Pick(ChildStatus)}；爱人{_rng.Pick(SpouseJobs)}。",
            1 => $"已婚，育有一儿一女，父母随其在{city}生活。",
            2 => $"已婚，孩子{_rng.Pick(ChildStatus)}；爱人{_rng.Pick(SpouseJobs)}，周末常回老家看望父母。",
            _ => $"未婚，独自在{city}工作，父母在老家。",
        };
    }
}
