using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Pipeline;

/// <summary>Open opportunities of one bucket: how many, their amount, their weighted amount.</summary>
public readonly record struct OpenFigures(long Count, long AmountMinor, long WeightedAmountMinor)
{
    public OpenFigures Plus(PipelineLine line) =>
        checked(new(Count + line.Count, AmountMinor + line.AmountMinor, WeightedAmountMinor + line.WeightedAmountMinor));
}

/// <summary>Won or lost opportunities of one close reason.</summary>
public readonly record struct ClosedFigures(string CloseReason, long Count, long AmountMinor);

/// <summary>The summed pipeline of a scope (see actorcrm.v1.PipelineSummary). Buckets with nothing in them are left out.</summary>
public sealed record PipelineTotals(
    string CurrencyCode,
    IReadOnlyList<KeyValuePair<Stage, OpenFigures>> ByStage,
    IReadOnlyList<KeyValuePair<StrategicTier, OpenFigures>> ByTier,
    IReadOnlyList<KeyValuePair<int, OpenFigures>> ByAbcClass,
    IReadOnlyList<ClosedFigures> Won,
    IReadOnlyList<ClosedFigures> Lost,
    OpenFigures Open,
    long WonCount, long WonAmountMinor,
    long LostCount, long LostAmountMinor,
    int AccountCount,
    long OtherCurrencyCount);

/// <summary>
/// Sums account pipeline rows into a scope's figures (pure): open opportunities by stage, by the
/// account's tier and by its ABC class (a number as actorcrm.v1.AbcClass: 0 = unranked, 1..3 =
/// A..C, given by the caller, which joins it from the ranking), won and lost ones by close reason.
/// Only lines in the reporting currency enter the figures; the others are counted apart. Every
/// figure is a sum of integers, so the figures of a group equal the sums over its parts.
/// </summary>
public sealed class PipelineTally(string currencyCode)
{
    /// <summary>Most reason buckets listed per outcome (largest amounts first); the totals count every deal.</summary>
    public const int MaxReasonBuckets = 100;

    private readonly Dictionary<Stage, OpenFigures> _byStage = [];
    private readonly Dictionary<StrategicTier, OpenFigures> _byTier = [];
    private readonly Dictionary<int, OpenFigures> _byClass = [];
    private readonly Dictionary<string, ClosedFigures> _won = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClosedFigures> _lost = new(StringComparer.Ordinal);
    private OpenFigures _open;
    private int _accounts;
    private long _otherCurrency;
    private long _wonCount, _wonAmount, _lostCount, _lostAmount;

    public string CurrencyCode => currencyCode;

    /// <summary>Adds one account's row; <paramref name="abcClass"/> is the account's class now.</summary>
    public void Add(PipelineRow row, int abcClass)
    {
        if (row.IsEmpty) return;
        try
        {
            checked
            {
                _accounts++;
                foreach (var line in row.Lines)
                {
                    if (line.CurrencyCode != currencyCode)
                    {
                        _otherCurrency += line.Count;
                        continue;
                    }
                    switch (line.Status)
                    {
                        case OpportunityStatus.Open:
                            _open = _open.Plus(line);
                            _byStage[line.Stage] = _byStage.GetValueOrDefault(line.Stage).Plus(line);
                            _byTier[row.Tier] = _byTier.GetValueOrDefault(row.Tier).Plus(line);
                            _byClass[abcClass] = _byClass.GetValueOrDefault(abcClass).Plus(line);
                            break;
                        case OpportunityStatus.Won:
                            AddClosed(_won, line);
                            _wonCount += line.Count;
                            _wonAmount += line.AmountMinor;
                            break;
                        case OpportunityStatus.Lost:
                            AddClosed(_lost, line);
                            _lostCount += line.Count;
                            _lostAmount += line.AmountMinor;
                            break;
                    }
                }
            }
        }
        catch (OverflowException)
        {
            throw CrmException.Precondition("the pipeline figures of this scope exceed the int64 range of the API");
        }
    }

    private static void AddClosed(Dictionary<string, ClosedFigures> into, PipelineLine line)
    {
        var held = into.GetValueOrDefault(line.CloseReason, new ClosedFigures(line.CloseReason, 0, 0));
        into[line.CloseReason] = checked(held with { Count = held.Count + line.Count, AmountMinor = held.AmountMinor + line.AmountMinor });
    }

    public PipelineTotals Result() =>
        new(
            currencyCode,
            _byStage.OrderBy(p => p.Key).ToArray(),
            _byTier.OrderBy(p => p.Key).ToArray(),
            _byClass.OrderBy(p => p.Key).ToArray(),
            Top(_won.Values), Top(_lost.Values),
            _open, _wonCount, _wonAmount, _lostCount, _lostAmount, _accounts, _otherCurrency);

    private static ClosedFigures[] Top(IEnumerable<ClosedFigures> buckets) =>
        buckets.OrderByDescending(b => b.AmountMinor).ThenByDescending(b => b.Count)
            .ThenBy(b => b.CloseReason, StringComparer.Ordinal).Take(MaxReasonBuckets).ToArray();
}
