namespace ActorCrm.Domain.Insights;

/// <summary>
/// How much of what the customer buys of our product class per year comes to us: the window
/// revenue (annualised when the window is not a year) ÷ organisation_profile.yearly_purchase_volume_minor,
/// for the account alone and rolled up over its subtree (the account and every account below it
/// that has a volume; revenue of accounts without one is left out, so the share is not inflated).
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ShareOfWallet")]
public sealed record ShareOfWallet(
    [property: Id(0)] long WindowRevenueMinor,
    [property: Id(1)] long YearlyPurchaseVolumeMinor,
    [property: Id(2)] long SubtreeWindowRevenueMinor,
    [property: Id(3)] long SubtreeYearlyPurchaseVolumeMinor,
    [property: Id(4)] int WindowDays)
{
    /// <summary>The account's own share; null when its volume is unknown.</summary>
    public double? Share => ShareOf(WindowRevenueMinor, YearlyPurchaseVolumeMinor);

    /// <summary>The subtree's share; null when no account in it has a volume.</summary>
    public double? SubtreeShare => ShareOf(SubtreeWindowRevenueMinor, SubtreeYearlyPurchaseVolumeMinor);

    private double? ShareOf(long revenue, long volume) => volume <= 0 ? null : revenue * (365.0 / WindowDays) / volume;
}
