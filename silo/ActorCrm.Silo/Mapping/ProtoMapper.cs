using ActorCrm.Domain.Errors;
using ActorCrm.Grains;
using Google.Protobuf.Collections;
using ActorCrm.Grains.Watching;
using ActorCrm.Domain.Insights;
using Google.Protobuf.WellKnownTypes;
using D = ActorCrm.Domain.Model;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Mapping;

/// <summary>
/// The one place where protobuf messages become domain records and back. Enums share their
/// numeric values, so unknown values pass through and are refused by domain validation with the
/// field named. Only values that cannot be represented at all (an impossible date) fail here.
/// </summary>
public static class ProtoMapper
{
    // ------------------------------------------------------------------ accounts

    public static D.Account ToDomain(Proto.Account a) => new()
    {
        AccountId = a.AccountId,
        DisplayName = a.DisplayName,
        Kind = (D.AccountKind)a.Kind,
        Tier = (D.StrategicTier)a.Tier,
        ParentAccountId = a.ParentAccountId,
        Owner = a.Owner,
        AccountTeam = a.AccountTeam.Select(m => new D.TeamMember(m.UserId, (D.TeamRole)m.Role)).ToArray(),
        Industry = a.Industry,
        Region = a.Region,
        OrganisationProfile = ToDomain(a.OrganisationProfile ?? new Proto.OrganisationProfile()),
        InstalledBase = a.InstalledBase.Select((item, i) => new D.InstalledBaseItem
        {
            Vendor = item.Vendor,
            IsOurs = item.IsOurs,
            Product = item.Product,
            Quantity = item.Quantity,
            Since = ToDate(item.Since, $"account.installed_base[{i}].since"),
            Satisfaction = item.Satisfaction,
        }).ToArray(),
        Competitors = a.Competitors.Select(c => new D.CompetitorIntel
        {
            Competitor = c.Competitor,
            ProductsInUse = c.ProductsInUse.ToArray(),
            CustomerSatisfaction = c.CustomerSatisfaction,
            SalesRepName = c.SalesRepName,
            SalesRepSellingStyle = c.SalesRepSellingStyle,
            SalesRepRelationship = c.SalesRepRelationship,
            Background = c.Background,
        }).ToArray(),
    };

    private static D.OrganisationProfile ToDomain(Proto.OrganisationProfile p) => new()
    {
        EmployeeCount = p.EmployeeCount,
        YearlyPurchaseVolumeMinor = p.YearlyPurchaseVolumeMinor,
        BusinessSituation = p.BusinessSituation,
        IndustrySituation = p.IndustrySituation,
        Units = p.Units.Select(u => new D.OrganisationUnit(u.UnitId, u.Name, (D.OrgUnitFunction)u.Function, u.ParentUnitId)).ToArray(),
        Channels = ToDomain(p.Channels),
    };

    private static D.CommunicationChannel[] ToDomain(RepeatedField<Proto.CommunicationChannel> channels) =>
        channels.Select(c => new D.CommunicationChannel((D.ChannelType)c.Type, c.Value, c.Label)).ToArray();

    /// <summary>A BASIC list row: the listing fields the directory holds, nothing else.</summary>
    public static Proto.Account ToProto(AccountSummary summary) => new()
    {
        AccountId = summary.AccountId,
        DisplayName = summary.DisplayName,
        Tier = (Proto.StrategicTier)summary.Tier,
        ParentAccountId = summary.ParentAccountId,
        Owner = summary.Owner,
    };

    public static Proto.Account ToProto(D.AccountView view)
    {
        var a = view.Account;
        var p = a.OrganisationProfile;
        return new Proto.Account
        {
            AccountId = a.AccountId,
            DisplayName = a.DisplayName,
            Kind = (Proto.AccountKind)a.Kind,
            Tier = (Proto.StrategicTier)a.Tier,
            ParentAccountId = a.ParentAccountId,
            Owner = a.Owner,
            AccountTeam = { a.AccountTeam.Select(m => new Proto.TeamMember { UserId = m.UserId, Role = (Proto.TeamRole)m.Role }) },
            Industry = a.Industry,
            Region = a.Region,
            OrganisationProfile = new Proto.OrganisationProfile
            {
                EmployeeCount = p.EmployeeCount,
                YearlyPurchaseVolumeMinor = p.YearlyPurchaseVolumeMinor,
                BusinessSituation = p.BusinessSituation,
                IndustrySituation = p.IndustrySituation,
                Units =
                {
                    p.Units.Select(u => new Proto.OrganisationUnit
                    {
                        UnitId = u.UnitId, Name = u.Name, Function = (Proto.OrgUnitFunction)u.Function, ParentUnitId = u.ParentUnitId,
                    }),
                },
                Channels = { ToProto(p.Channels) },
                LastVerifiedTime = ToProto(view.Verified.OrganisationProfile),
            },
            InstalledBaseLastVerifiedTime = ToProto(view.Verified.InstalledBase),
            InstalledBase =
            {
                a.InstalledBase.Select(item => new Proto.InstalledBaseItem
                {
                    Vendor = item.Vendor,
                    IsOurs = item.IsOurs,
                    Product = item.Product,
                    Quantity = item.Quantity,
                    Since = ToProto(item.Since),
                    Satisfaction = item.Satisfaction,
                }),
            },
            Competitors =
            {
                a.Competitors.Select(c => new Proto.CompetitorIntel
                {
                    Competitor = c.Competitor,
                    ProductsInUse = { c.ProductsInUse },
                    CustomerSatisfaction = c.CustomerSatisfaction,
                    SalesRepName = c.SalesRepName,
                    SalesRepSellingStyle = c.SalesRepSellingStyle,
                    SalesRepRelationship = c.SalesRepRelationship,
                    Background = c.Background,
                    LastVerifiedTime = ToProto(view.Verified.Competitors.TryGetValue(c.Competitor, out var verified) ? verified : null),
                }),
            },
            Etag = view.Etag,
            CreateTime = Timestamp.FromDateTimeOffset(view.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdatedAt),
            ContactCount = view.ContactCount,
            Insights = view.Insights is { } insights ? ToProto(insights, view.ShareOfWallet) : null,
        };
    }

    public static Proto.AccountInsights ToProto(AccountInsights insights, ShareOfWallet? wallet = null)
    {
        var proto = new Proto.AccountInsights
        {
            OrganisationCoverage = insights.Organisation,
            CompetitorCoverage = insights.Competitors,
            ProjectCoverage = insights.Projects,
            PeopleCoverage = insights.People,
            OverallCoverage = insights.Overall,
            Missing =
            {
                insights.Missing.Select(m => new Proto.MissingIntel { Category = (Proto.IntelCategory)m.Category, Code = m.Code, Message = m.Message, Subject = m.Subject }),
            },
            RedFlags = { insights.RedFlags.Select(f => new Proto.RedFlag { Code = f.Code, Message = f.Message, OpportunityId = f.OpportunityId }) },
        };
        if (wallet is null) return proto;
        proto.WindowRevenueMinor = wallet.WindowRevenueMinor;
        if (wallet.Share is { } share) proto.ShareOfWallet = share;
        if (wallet.SubtreeShare is { } subtreeShare) proto.SubtreeShareOfWallet = subtreeShare;
        return proto;
    }

    private static IEnumerable<Proto.CommunicationChannel> ToProto(IEnumerable<D.CommunicationChannel> channels) =>
        channels.Select(c => new Proto.CommunicationChannel { Type = (Proto.ChannelType)c.Type, Value = c.Value, Label = c.Label });

    // ------------------------------------------------------------------ contacts

    public static D.Contact ToDomain(Proto.Contact c)
    {
        var p = c.PersonalProfile ?? new Proto.PersonalProfile();
        return new D.Contact
        {
            ContactId = c.ContactId,
            AccountId = c.AccountId,
            DisplayName = c.DisplayName,
            Title = c.Title,
            OrgUnitId = c.OrgUnitId,
            Level = (D.ContactLevel)c.Level,
            ReportsToContactId = c.ReportsToContactId,
            Channels = ToDomain(c.Channels),
            RelationshipStrength = (D.RelationshipStrength)c.RelationshipStrength,
            PersonalProfile = new D.PersonalProfile
            {
                Family = p.Family,
                Hometown = p.Hometown,
                FavouriteBooks = p.FavouriteBooks.ToArray(),
                University = p.University,
                LastVacation = p.LastVacation,
                NextVacationPlan = p.NextVacationPlan,
                Sports = p.Sports.ToArray(),
                FavouriteRestaurants = p.FavouriteRestaurants.ToArray(),
                FavouriteFood = p.FavouriteFood.ToArray(),
                Notes = p.Notes,
            },
            PersonalDataBasis = c.PersonalDataBasis is { } b
                ? new D.PersonalDataBasis
                {
                    Purpose = b.Purpose,
                    LegalBasis = (D.LegalBasis)b.LegalBasis,
                    ConsentedAt = b.ConsentTime is null ? null : ToInstant(b.ConsentTime, "contact.personal_data_basis.consent_time"),
                    RetainUntil = ToInstant(b.RetentionTime, "contact.personal_data_basis.retention_time"),
                }
                : null,
        };
    }

    public static Proto.Contact ToProto(D.ContactView view)
    {
        var c = view.Contact;
        var p = c.PersonalProfile;
        var b = c.PersonalDataBasis;
        return new Proto.Contact
        {
            ContactId = c.ContactId,
            AccountId = c.AccountId,
            DisplayName = c.DisplayName,
            Title = c.Title,
            OrgUnitId = c.OrgUnitId,
            Level = (Proto.ContactLevel)c.Level,
            ReportsToContactId = c.ReportsToContactId,
            Channels = { ToProto(c.Channels) },
            RelationshipStrength = (Proto.RelationshipStrength)c.RelationshipStrength,
            // Absent when empty, so a reply carries (and the audit counts) a profile only when there is one.
            PersonalProfile = p.IsEmpty ? null : new Proto.PersonalProfile
            {
                Family = p.Family,
                Hometown = p.Hometown,
                FavouriteBooks = { p.FavouriteBooks },
                University = p.University,
                LastVacation = p.LastVacation,
                NextVacationPlan = p.NextVacationPlan,
                Sports = { p.Sports },
                FavouriteRestaurants = { p.FavouriteRestaurants },
                FavouriteFood = { p.FavouriteFood },
                Notes = p.Notes,
                LastVerifiedTime = ToProto(view.ProfileVerifiedAt),
            },
            PersonalDataBasis = b is null ? null : new Proto.PersonalDataBasis
            {
                Purpose = b.Purpose,
                LegalBasis = (Proto.LegalBasis)b.LegalBasis,
                ConsentTime = b.ConsentedAt is { } consented ? Timestamp.FromDateTimeOffset(consented) : null,
                RetentionTime = Timestamp.FromDateTimeOffset(b.RetainUntil),
            },
            Etag = view.Etag,
            CreateTime = Timestamp.FromDateTimeOffset(view.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdatedAt),
            PersonalDataEraseTime = view.PersonalDataErasedAt is { } erased ? Timestamp.FromDateTimeOffset(erased) : null,
        };
    }

    /// <summary>What a watcher sees of a contact: no personal profile, no channels.</summary>
    public static Proto.ContactSummary ToSummary(D.ContactView view) => new()
    {
        ContactId = view.Contact.ContactId,
        DisplayName = view.Contact.DisplayName,
        Title = view.Contact.Title,
        Level = (Proto.ContactLevel)view.Contact.Level,
        RelationshipStrength = (Proto.RelationshipStrength)view.Contact.RelationshipStrength,
        Etag = view.Etag,
    };

    // ------------------------------------------------------------------ live updates

    public static Proto.AccountEvent ToProto(AccountSnapshot snapshot, IReadOnlyList<D.ContactView> contacts)
    {
        var message = new Proto.AccountEvent
        {
            Sequence = snapshot.Sequence,
            Account = snapshot.Account is null ? null : ToProto(snapshot.Account),
            RevenueWindowTotalMinor = snapshot.RevenueWindowTotalMinor,
            OpenOpportunityCount = snapshot.OpenOpportunityCount,
            OpenPipelineMinor = snapshot.OpenPipelineMinor,
            EventTime = Timestamp.FromDateTimeOffset(snapshot.At),
        };
        message.Contacts.AddRange(contacts.Select(ToSummary));
        return message;
    }

    // ------------------------------------------------------------------ opportunities

    public static D.Opportunity ToDomain(Proto.Opportunity o)
    {
        var timetable = o.Timetable ?? new Proto.PurchasingTimetable();
        var process = o.PurchasingProcess ?? new Proto.PurchasingProcess();
        return new D.Opportunity
        {
            AccountId = o.AccountId,
            OpportunityId = o.OpportunityId,
            Name = o.Name,
            ProblemToSolve = o.ProblemToSolve,
            PurchasingPlan = o.PurchasingPlan,
            BudgetMinor = o.BudgetMinor,
            Timetable = new D.PurchasingTimetable
            {
                ExpectedDecisionDate = ToDate(timetable.ExpectedDecisionDate, "opportunity.timetable.expected_decision_date"),
                Milestones = timetable.Milestones.Select((m, i) =>
                    new D.Milestone(m.Name, ToDate(m.DueDate, $"opportunity.timetable.milestones[{i}].due_date"), m.Done)).ToArray(),
            },
            PurchasingProcess = new D.PurchasingProcess
            {
                Method = (D.PurchasingMethod)process.Method,
                Steps = process.Steps.ToArray(),
                Notes = process.Notes,
            },
            Stage = (D.Stage)o.Stage,
            AmountMinor = o.AmountMinor,
            CurrencyCode = o.CurrencyCode,
            ProbabilityPercent = o.ProbabilityPercent,
            Status = (D.OpportunityStatus)o.Status,
            BuyingCentre = o.BuyingCentre.Select(m => new D.BuyingCentreMember(m.ContactId, (D.BuyingRole)m.Role, (D.Stance)m.Stance)).ToArray(),
            Competitors = o.Competitors.ToArray(),
            CloseReason = o.CloseReason.Trim(),
        };
    }

    public static Proto.Opportunity ToProto(D.OpportunityView view)
    {
        var o = view.Opportunity;
        return new Proto.Opportunity
        {
            AccountId = o.AccountId,
            OpportunityId = o.OpportunityId,
            Name = o.Name,
            ProblemToSolve = o.ProblemToSolve,
            PurchasingPlan = o.PurchasingPlan,
            BudgetMinor = o.BudgetMinor,
            Timetable = new Proto.PurchasingTimetable
            {
                ExpectedDecisionDate = ToProto(o.Timetable.ExpectedDecisionDate),
                Milestones = { o.Timetable.Milestones.Select(m => new Proto.Milestone { Name = m.Name, DueDate = ToProto(m.DueDate), Done = m.Done }) },
            },
            PurchasingProcess = new Proto.PurchasingProcess
            {
                Method = (Proto.PurchasingMethod)o.PurchasingProcess.Method,
                Steps = { o.PurchasingProcess.Steps },
                Notes = o.PurchasingProcess.Notes,
            },
            Stage = (Proto.Stage)o.Stage,
            AmountMinor = o.AmountMinor,
            CurrencyCode = o.CurrencyCode,
            ProbabilityPercent = o.ProbabilityPercent,
            Status = (Proto.OpportunityStatus)o.Status,
            BuyingCentre = { o.BuyingCentre.Select(m => new Proto.BuyingCentreMember { ContactId = m.ContactId, Role = (Proto.BuyingRole)m.Role, Stance = (Proto.Stance)m.Stance }) },
            Competitors = { o.Competitors },
            CloseReason = o.CloseReason,
            Etag = view.Etag,
            CreateTime = Timestamp.FromDateTimeOffset(view.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdatedAt),
            LastVerifiedTime = Timestamp.FromDateTimeOffset(view.VerifiedAt),
        };
    }

    // ------------------------------------------------------------------ activities

    public static D.Activity ToDomain(Proto.Activity a) => new()
    {
        AccountId = a.AccountId,
        ActivityId = a.ActivityId,
        Type = a.Type,
        OccurredAt = ToInstant(a.OccurredAt, "activity.occurred_at"),
        ContactIds = a.ContactIds.ToArray(),
        OpportunityId = a.OpportunityId,
        Subject = a.Subject,
        Notes = a.Notes,
        Owner = a.Owner,
    };

    public static Proto.Activity ToProto(D.Activity a) => new()
    {
        AccountId = a.AccountId,
        ActivityId = a.ActivityId,
        Type = a.Type,
        OccurredAt = Timestamp.FromDateTimeOffset(a.OccurredAt),
        ContactIds = { a.ContactIds },
        OpportunityId = a.OpportunityId,
        Subject = a.Subject,
        Notes = a.Notes,
        Owner = a.Owner,
    };

    // ------------------------------------------------------------------ scalars

    public static DateOnly? ToDate(Proto.Date? date, string field)
    {
        if (date is null) return null;
        if (date.Year is >= 1 and <= 9999 && date.Month is >= 1 and <= 12 && date.Day >= 1
            && date.Day <= DateTime.DaysInMonth(date.Year, date.Month))
            return new DateOnly(date.Year, date.Month, date.Day);
        throw CrmException.Invalid(field, $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2} is not a calendar date");
    }

    public static Proto.Date? ToProto(DateOnly? date) =>
        date is { } d ? new Proto.Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;

    /// <summary>A missing timestamp becomes default (validation reports it as required).</summary>
    private static Timestamp? ToProto(DateTimeOffset? instant) => instant is { } at ? Timestamp.FromDateTimeOffset(at) : null;

    public static DateTimeOffset ToInstant(Timestamp? timestamp, string field)
    {
        if (timestamp is null) return default;
        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException) // out of range, or nanos not normalized
        {
            throw CrmException.Invalid(field, "is not a valid timestamp");
        }
    }
}
