namespace ActorCrm.Domain.Model;

// Numeric values equal those of the actorcrm.v1 protobuf enums; 0 means "not set" and is never
// accepted on input (see Validation).

public enum AccountKind { Unspecified = 0, Business = 1, Consumer = 2 }

public enum StrategicTier { Unspecified = 0, NationalHq = 1, BureauOrProvince = 2, LocalOrOther = 3 }

public enum TeamRole
{
    Unspecified = 0, AccountManager = 1, Sales = 2, SolutionEngineer = 3, Service = 4, ExecutiveSponsor = 5, Other = 6,
}

public enum OrgUnitFunction { Unspecified = 0, Using = 1, Purchasing = 2, Supporting = 3, Management = 4, Other = 5 }

public enum ChannelType
{
    Unspecified = 0, Phone = 1, Mobile = 2, Email = 3, WeChat = 4, Address = 5, Website = 6, Fax = 7, Other = 8,
}

public enum ContactLevel { Unspecified = 0, UserOrMaintainer = 1, Management = 2, Executive = 3 }

public enum RelationshipStrength { Unspecified = 0, Unknown = 1, None = 2, Weak = 3, Good = 4, Strong = 5 }

public enum Stage
{
    Unspecified = 0, Lead = 1, Qualified = 2, NeedsAnalysis = 3, Solution = 4, Bidding = 5, Negotiation = 6, Closed = 7,
}

public enum OpportunityStatus { Unspecified = 0, Open = 1, Won = 2, Lost = 3 }

public enum PurchasingMethod
{
    Unspecified = 0, PublicTender = 1, InvitedTender = 2, CompetitiveNegotiation = 3, SingleSource = 4,
    RequestForQuotation = 5, Other = 6,
}

public enum BuyingRole
{
    Unspecified = 0, DecisionMaker = 1, EconomicBuyer = 2, TechnicalBuyer = 3, UserBuyer = 4, Influencer = 5,
    Coach = 6, Gatekeeper = 7,
}

public enum Stance { Unspecified = 0, Supporter = 1, Neutral = 2, Opponent = 3 }
