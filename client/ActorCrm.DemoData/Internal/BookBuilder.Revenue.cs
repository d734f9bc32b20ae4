using ActorCrm.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.DemoData.Internal;

internal sealed partial class BookBuilder
{
    /// <summary>The reporting currency of every revenue event.</summary>
    private const string RevenueCurrency = "CNY";

    /// <summary>Most events (invoices and credit notes) one account gets in the 18 months.</summary>
    private const int MaxRevenueEvents = 360;

    /// <summary>Mean of an account's log size by tier: group HQs and bureaus/provinces buy more on average.</summary>
    private const double HqLogSize = 1.5, BureauLogSize = 0.8, LocalLogSize = 0;

    /// <summary>Spread of the log size within a tier: wide enough that tiers overlap and the book is heavy-tailed.</summary>
    private const double LogSizeSpread = 0.85;

    /// <summary>ln(events in 18 months) = EventsBase + EventsSlope · size: a median local unit orders about monthly.</summary>
    private const double EventsBase = 3.05, EventsSlope = 0.95;

    /// <summary>ln(median order in yuan) = OrderBase + OrderSlope · size: 20万元 for a median local unit.</summary>
    private const double OrderBase = 12.2, OrderSlope = 0.7;

    /// <summary>Spread of ln(order) around the account's median order.</summary>
    private const double OrderSpread = 0.6;

    /// <summary>Smallest and largest order of a business account (5万元, 5000万元) and of a consumer (1万元, 10万元).</summary>
    private const double MinOrderYuan = 50_000, MaxOrderYuan = 50_000_000, MinConsumerYuan = 10_000, MaxConsumerYuan = 100_000;

    /// <summary>Chance in per mille that an account's event after its first is a credit note for an earlier invoice.</summary>
    private const int CreditNotePerMille = 27;

    /// <summary>An event before it becomes a message.</summary>
    private readonly record struct PlannedRevenue(DateTimeOffset At, string AccountId, string EventId, long AmountMinor);

    /// <summary>
    /// Revenue of the 18 months before the anchor, after everything else has been generated (so that the
    /// rest of the book does not depend on it). Each account gets a heavy-tailed size (a lognormal draw
    /// around its tier's mean); the number of its events and the size of its orders both grow with it,
    /// which gives the usual 80/20 picture. About 10% of the accounts (more of the consumers) bought
    /// nothing; some are new (first order in the last year) or lapsed (no order in the last months).
    /// Ordered by occurred_at, then account id, then event id.
    /// </summary>
    private List<RevenueEvent> BuildRevenue(List<Node> nodes)
    {
        var local = _anchor.ToOffset(Beijing);
        var midnight = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, Beijing);
        var days = Math.Max(1, (int)(midnight - _anchor.AddMonths(-18)).TotalDays); // whole days that fit in the window

        var planned = new List<PlannedRevenue>();
        foreach (var node in nodes) PlanRevenue(node, midnight, days, planned);
        planned.Sort(static (x, y) =>
        {
            var c = x.At.UtcTicks.CompareTo(y.At.UtcTicks);
            if (c == 0) c = string.CompareOrdinal(x.AccountId, y.AccountId);
            return c != 0 ? c : string.CompareOrdinal(x.EventId, y.EventId);
        });

        var result = new List<RevenueEvent>(planned.Count);
        foreach (var p in planned)
        {
            result.Add(new RevenueEvent
            {
                EventId = p.EventId,
                AccountId = p.AccountId,
                AmountMinor = p.AmountMinor,
                CurrencyCode = RevenueCurrency,
                OccurredAt = Timestamp.FromDateTimeOffset(p.At),
            });
        }
        return result;
    }

    /// <summary>One account's invoices ("inv-2025-000001", numbered per year) and credit notes ("cn-2025-000001").</summary>
    private void PlanRevenue(Node node, DateTimeOffset midnight, int days, List<PlannedRevenue> planned)
    {
        int count;
        double medianOrder, minOrder, maxOrder;
        if (node.Style == Style.Consumer)
        {
            if (_rng.Chance(40)) return;
            count = _rng.Between(1, 3);
            (medianOrder, minOrder, maxOrder) = (30_000, MinConsumerYuan, MaxConsumerYuan);
        }
        else
        {
            if (_rng.Chance(10)) return;
            var mean = node.Tier switch
            {
                StrategicTier.NationalHq => HqLogSize,
                StrategicTier.BureauOrProvince => BureauLogSize,
                _ => LocalLogSize,
            };
            var size = mean + LogSizeSpread * Normal(12);
            count = (int)Math.Clamp(Math.Round(Exp(EventsBase + EventsSlope * size)), 1, MaxRevenueEvents);
            (medianOrder, minOrder, maxOrder) = (Exp(OrderBase + OrderSlope * size), MinOrderYuan, MaxOrderYuan);
        }

        // When the account bought: mostly the whole 18 months; some started within the last year, some stopped months ago.
        var (newest, oldest) = _rng.Next(100) switch
        {
            < 10 => (1, _rng.Between(Math.Min(60, days), Math.Min(365, days))), // new customer
            < 18 => (_rng.Between(Math.Min(60, days), Math.Min(300, days)), days), // lapsed customer
            _ => (1, days),
        };

        var events = new (DateTimeOffset At, long Minor, int Index)[count];
        for (var i = 0; i < count; i++)
        {
            var yuan = medianOrder * Exp(OrderSpread * Normal(4));
            // Out of range: somewhere near the limit rather than all on it.
            if (yuan < minOrder) yuan = minOrder * (1 + 0.5 * _rng.NextDouble());
            else if (yuan > maxOrder) yuan = maxOrder * (1 - 0.3 * _rng.NextDouble());
            events[i] = (RevenueTime(midnight, newest, oldest), (long)Math.Round(yuan * 100), i);
        }
        Array.Sort(events, static (x, y) => x.At != y.At ? x.At.CompareTo(y.At) : x.Index.CompareTo(y.Index));

        // Numbers follow the timeline; a credit note takes back part or all of an earlier, not yet credited invoice.
        var invoices = new List<int>(count);
        var credited = new bool[count];
        var lastYear = 0;
        int invoiceSeq = 0, creditSeq = 0;
        for (var i = 0; i < count; i++)
        {
            var (at, amount, _) = events[i];
            var year = at.ToOffset(Beijing).Year;
            if (year != lastYear) (lastYear, invoiceSeq, creditSeq) = (year, 0, 0);
            if (invoices.Count > 0 && _rng.Next(1000) < CreditNotePerMille)
            {
                var k = invoices[_rng.Next(invoices.Count)];
                if (!credited[k])
                {
                    credited[k] = true;
                    var original = events[k].Minor;
                    var credit = _rng.Chance(35) ? original : original / 100 * _rng.Between(10, 90);
                    planned.Add(new PlannedRevenue(at, node.Id, $"cn-{year}-{++creditSeq:D6}", -credit));
                    continue;
                }
            }
            invoices.Add(i);
            planned.Add(new PlannedRevenue(at, node.Id, $"inv-{year}-{++invoiceSeq:D6}", amount));
        }
    }

    /// <summary>
    /// A moment during Beijing office hours on a working day between <paramref name="newest"/> and
    /// <paramref name="oldest"/> days before the anchor's Beijing date (so strictly before the anchor and
    /// never before anchor − 18 months).
    /// </summary>
    private DateTimeOffset RevenueTime(DateTimeOffset midnight, int newest, int oldest)
    {
        var day = midnight.AddDays(-_rng.Between(newest, oldest));
        for (var attempt = 0; attempt < 6 && day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday; attempt++)
            day = midnight.AddDays(-_rng.Between(newest, oldest));
        return day.AddSeconds(_rng.Between(9 * 3600, 17 * 3600 + 30 * 60));
    }

    /// <summary>
    /// A standard normal draw, approximated by the sum of <paramref name="terms"/> uniforms (Irwin–Hall),
    /// which also bounds it (±√(3·terms)). Basic arithmetic only, so the same on every platform.
    /// </summary>
    private double Normal(int terms)
    {
        var sum = 0.0;
        for (var i = 0; i < terms; i++) sum += _rng.NextDouble();
        return (sum - terms / 2.0) * Math.Sqrt(12.0 / terms);
    }

    /// <summary>
    /// e^x for moderate x, from a Taylor series and an exact power of two: unlike <see cref="Math.Exp"/>
    /// (whose last bit may differ between runtimes), it uses IEEE basic arithmetic only, so a seed gives
    /// the same amounts everywhere.
    /// </summary>
    internal static double Exp(double x)
    {
        const double ln2 = 0.693147180559945309417232121458;
        var n = Math.Round(x / ln2);
        var r = x - n * ln2; // |r| ≤ ln2 / 2
        double term = 1, sum = 1;
        for (var i = 1; i <= 16; i++)
        {
            term *= r / i;
            sum += term;
        }
        return Math.ScaleB(sum, (int)n);
    }
}
