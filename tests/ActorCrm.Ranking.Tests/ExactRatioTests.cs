using System.Numerics;
using ActorCrm.Ranking;

namespace ActorCrm.Ranking.Tests;

public class ExactRatioTests
{
    [Fact]
    public void Simple_ratios_round_like_the_literals()
    {
        Assert.Equal(0.38, ExactRatio.ToDouble((Int128)3_800, 10_000));
        Assert.Equal(1.0 / 3, ExactRatio.ToDouble((Int128)1, 3));
        Assert.Equal(-0.25, ExactRatio.ToDouble((Int128)1, -4));
        Assert.Equal(0.0, ExactRatio.ToDouble(Int128.Zero, 7));
        Assert.Equal(-1.0, ExactRatio.ToDouble(Int128.MinValue, Int128.MaxValue)); // −2^127/(2^127−1)
        Assert.Equal(1.0, ExactRatio.ToDouble(Int128.MinValue, Int128.MinValue));
        Assert.Throws<DivideByZeroException>(() => ExactRatio.ToDouble((Int128)1, 0));
    }

    [Fact]
    public void Huge_operands_where_double_arithmetic_goes_wrong()
    {
        // Doubles near 2^53 are 2 apart, so 2^53 + 1 is a rounding midpoint. Operands of ~133 bits
        // cannot be converted to double without rounding first; ExactRatio must still decide exactly.
        BigInteger q = (BigInteger.One << 80) + 12_345;
        BigInteger p = q * ((BigInteger.One << 53) + 1) + 1; // p/q = 2^53 + 1 + tiny: rounds up to 2^53 + 2
        Assert.Equal(Math.ScaleB(1, 53) + 2, ExactRatio.ToDouble(p, q));
        BigInteger below = q * ((BigInteger.One << 53) + 1) - 1; // just under the midpoint: rounds down
        Assert.Equal(Math.ScaleB(1, 53), ExactRatio.ToDouble(below, q));
        // Exactly on the midpoint: ties to even (2^53).
        Assert.Equal(Math.ScaleB(1, 53), ExactRatio.ToDouble(q * ((BigInteger.One << 53) + 1), q));
    }

    [Fact]
    public void Random_ratios_are_the_nearest_double()
    {
        var rng = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            BigInteger p = RandomBig(rng, rng.Next(1, 200));
            BigInteger q = RandomBig(rng, rng.Next(1, 200));
            if (q.IsZero)
            {
                continue;
            }

            double r = ExactRatio.ToDouble(p, q);
            AssertNearest(p, q, r);
            if (p.GetBitLength() < 127 && q.GetBitLength() < 127)
            {
                Assert.Equal(r, ExactRatio.ToDouble((Int128)p, (Int128)q));
                Assert.Equal(-r, ExactRatio.ToDouble(-(Int128)p, (Int128)q));
                Assert.Equal(r, ExactRatio.ToDouble((UInt128)p, (UInt128)q));
            }
        }
    }

    private static BigInteger RandomBig(Random rng, int bits)
    {
        byte[] bytes = new byte[(bits / 8) + 2];
        rng.NextBytes(bytes);
        bytes[^1] = 0;
        var value = new BigInteger(bytes) >> (bytes.Length * 8 - 8 - bits);
        return rng.Next(10) == 0 ? (BigInteger.One << bits) - rng.Next(0, 3) : value; // also all-ones patterns
    }

    /// <summary>r is p/q rounded to nearest, ties to even: no neighbouring double is closer.</summary>
    private static void AssertNearest(BigInteger p, BigInteger q, double r)
    {
        if (p.IsZero)
        {
            Assert.Equal(0.0, r);
            return;
        }

        double down = Math.BitDecrement(r);
        double up = Math.BitIncrement(r);
        // Compare |p/q − d| exactly: d = m·2^e, so |p − m·q·2^e| over a common power of two.
        int e = Math.Min(Exponent(down), Math.Min(Exponent(r), Exponent(up)));
        BigInteger Distance(double d) =>
            BigInteger.Abs((e < 0 ? p << -e : p) - (Mantissa(d, e) * (e > 0 ? q << e : q)));

        BigInteger own = Distance(r);
        foreach (double neighbour in new[] { down, up })
        {
            BigInteger other = Distance(neighbour);
            Assert.True(own <= other, $"{p}/{q}: {r:R} is not nearest ({neighbour:R} is closer)");
            if (own == other)
            {
                Assert.True((BitConverter.DoubleToInt64Bits(r) & 1) == 0, $"{p}/{q}: tie not rounded to even");
            }
        }
    }

    private static int Exponent(double d) => Math.ILogB(d) - 52;

    /// <summary>d / 2^e as an exact integer (e ≤ exponent of d's last mantissa bit).</summary>
    private static BigInteger Mantissa(double d, int e)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        long fraction = bits & ((1L << 52) - 1);
        int biased = (int)((bits >> 52) & 0x7FF);
        BigInteger m = biased == 0 ? fraction : fraction | (1L << 52);
        int exponent = biased == 0 ? -1074 : biased - 1075;
        return m << (exponent - e);
    }
}
