using ActorCrm.Ranking;
using Xunit.Sdk;

namespace ActorCrm.Ranking.Tests;

/// <summary>
/// The index against the brute-force <see cref="Oracle"/> over thousands of seeded random operation
/// sequences. A failure names the seed, so it replays exactly.
/// </summary>
public class ConcentrationIndexPropertyTests
{
    // Includes ids whose ordinal order differs from culture order ("B" < "a", "ä" > "z").
    private static readonly string[] IdPool =
    [
        "a", "B", "b", "A", "z", "ä", "acct-1", "acct-10", "acct-2", "Acct-1", "", "x y", "ß", "ss",
        "0", "00", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "m1", "m2", "m3", "m4", "m5",
    ];

    /// <summary>Small totals make ties and exact ABC boundaries (10000·P == bp·Σx) common.</summary>
    private static long RandomTotal(Random rng, bool small) => small ? rng.Next(-1, 6) : RandomTotal(rng);

    internal static long RandomTotal(Random rng) => rng.Next(12) switch
    {
        0 => 0,
        1 => -rng.NextInt64(1, 1_000),                   // refunds exceed revenue
        2 => long.MinValue + rng.Next(2),
        3 => long.MaxValue - rng.Next(3),                // Σ overflows a long; Σx² overflows 128 bits
        4 => rng.NextInt64(long.MaxValue / 2, long.MaxValue),
        5 or 6 => rng.Next(1, 4),                        // many ties
        7 => rng.NextInt64(1, 1_000_000_000_000),
        _ => rng.Next(1, 1_000),
    };

    private static ConcentrationOptions RandomOptions(Random rng)
    {
        if (rng.Next(2) == 0)
        {
            return new ConcentrationOptions();
        }

        // Round thresholds (50 %, 75 %, ...) are hit exactly by small totals; arbitrary ones test the arithmetic.
        int[] round = [0, 2_000, 2_500, 5_000, 7_500, 8_000, 9_000, 9_500, 10_000];
        int a = rng.Next(2) == 0 ? round[rng.Next(round.Length)] : rng.Next(0, 10_001);
        int b = rng.Next(2) == 0 ? round.Where(x => x >= a).ElementAt(rng.Next(round.Count(x => x >= a))) : rng.Next(a, 10_001);
        return new ConcentrationOptions
        {
            TopShareKs = [.. Enumerable.Range(0, rng.Next(0, 5)).Select(_ => rng.Next(1, 30))],
            Abc = new AbcThresholds(a, b),
            InitialCapacity = rng.Next(0, 4),
        };
    }

    [Fact]
    public void Small_random_sequences_match_the_oracle_after_every_operation()
    {
        for (int seed = 0; seed < 1_500; seed++)
        {
            RunSequence(seed, poolSize: 1 + (seed % IdPool.Length), operations: 24, checkEvery: 1);
        }
    }

    [Fact]
    public void Larger_random_sequences_match_the_oracle()
    {
        for (int seed = 10_000; seed < 10_004; seed++)
        {
            RunSequence(seed, poolSize: 700, operations: 3_000, checkEvery: 300);
        }
    }

    private static void RunSequence(int seed, int poolSize, int operations, int checkEvery)
    {
        var rng = new Random(seed);
        string[] ids = poolSize <= IdPool.Length
            ? IdPool.OrderBy(_ => rng.Next()).Take(poolSize).ToArray()
            : Enumerable.Range(0, poolSize).Select(i => $"acct-{i}").ToArray();
        ConcentrationOptions options = RandomOptions(rng);
        bool small = seed % 3 == 0;
        var index = new ConcentrationIndex(options);
        var model = new Dictionary<string, long>(StringComparer.Ordinal);
        (ConcentrationSnapshot Snapshot, Oracle Oracle, int Rows)? held = null;

        int op = 0;
        try
        {
            for (op = 0; op < operations; op++)
            {
                string id = ids[rng.Next(ids.Length)];
                int choice = rng.Next(20);
                if (choice < 12)
                {
                    long total = RandomTotal(rng, small);
                    index.Set(id, total);
                    model[id] = total;
                }
                else if (choice < 15)
                {
                    Assert.Equal(model.Remove(id), index.Remove(id));
                }
                else if (choice < 17 && model.TryGetValue(id, out long current) && current is > long.MinValue and < long.MaxValue)
                {
                    long total = current + (rng.Next(2) == 0 ? 1 : -1); // step across a neighbour or across 0
                    index.Set(id, total);
                    model[id] = total;
                }
                else if (choice == 17)
                {
                    CheckWhatIf(rng, ids, index, model, options);
                }
                else if (choice == 18)
                {
                    ConcentrationIndex clone = index.Clone();
                    clone.Set(id, 42);
                    clone.ValidateInvariants();
                    new Oracle(new Dictionary<string, long>(model) { [id] = 42 }, options).AssertMatches(clone, allRanks: false);
                }
                else if (held is null)
                {
                    int rows = rng.Next(0, 6);
                    held = (index.Snapshot(rows), new Oracle(model, options), rows);
                }

                if (op % checkEvery == checkEvery - 1 || op == operations - 1)
                {
                    index.ValidateInvariants();
                    new Oracle(model, options).AssertMatches(index);
                    Assert.Equal(model.Count, index.TrackedCount);
                }
            }

            if (held is { } h)
            {
                h.Oracle.AssertSnapshot(h.Snapshot, h.Rows); // unaffected by everything since
            }
        }
        catch (Exception e) when (e is not XunitException { Message: var m } || !m.StartsWith("seed ", StringComparison.Ordinal))
        {
            throw new XunitException($"seed {seed}, operation {op}: {e}");
        }
    }

    private static void CheckWhatIf(
        Random rng, string[] ids, ConcentrationIndex index, Dictionary<string, long> model, ConcentrationOptions options)
    {
        var scenario = new WhatIfScenario();
        var expected = new Dictionary<string, long>(model, StringComparer.Ordinal);
        bool overflows = false;
        for (int i = rng.Next(0, 6); i > 0; i--)
        {
            string id = rng.Next(8) == 0 ? "what-if-new" : ids[rng.Next(ids.Length)];
            switch (rng.Next(3))
            {
                case 0:
                    scenario.Remove(id);
                    expected.Remove(id);
                    break;
                case 1:
                    long total = RandomTotal(rng);
                    scenario.SetTotal(id, total);
                    expected[id] = total;
                    break;
                default:
                    long delta = rng.Next(2) == 0 ? rng.Next(-50, 50) : RandomTotal(rng);
                    scenario.Adjust(id, delta);
                    Int128 sum = (Int128)expected.GetValueOrDefault(id) + delta;
                    overflows |= sum > long.MaxValue || sum < long.MinValue;
                    expected[id] = (long)sum;
                    break;
            }
        }

        long version = index.Version;
        int rows = rng.Next(0, 8);
        if (overflows)
        {
            Assert.Throws<OverflowException>(() => index.WhatIf(scenario, rows));
        }
        else
        {
            ConcentrationSnapshot snapshot = index.WhatIf(scenario, rows);
            new Oracle(expected, options).AssertSnapshot(snapshot, rows);
            Assert.Equal(version, snapshot.Version);
        }

        Assert.Equal(version, index.Version);
        index.ValidateInvariants();
        new Oracle(model, options).AssertMatches(index, allRanks: false);
    }
}
