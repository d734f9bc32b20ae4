using System.Numerics;

namespace ActorCrm.Ranking;

/// <summary>
/// Turns an exact rational p/q into the nearest double (IEEE round-half-to-even), so every figure
/// the ranking publishes is rounded exactly once. <c>(double)p / (double)q</c> would round three
/// times and loses digits once p or q exceed 2^53 (sums of 1M totals of up to 2^63 do).
/// </summary>
/// <remarks>
/// Method: scale so that the integer quotient has 56 or 57 bits, fold a non-zero remainder into its
/// lowest bit ("sticky" bit, below the round bit), convert that integer to double (one correctly
/// rounded conversion to 53 bits), then scale back by a power of two (exact for normal results).
/// Results below the normal range (|p/q| &lt; 2^-1022) may be rounded twice; no ranking figure gets there.
/// The UInt128 path allocates nothing; the BigInteger path is the fallback for very wide operands.
/// </remarks>
public static class ExactRatio
{
    // 53 mantissa bits + round bit + at least one sticky bit below it; 56..57 bits still fit in a long.
    private const int QuotientBits = 56;
    private static readonly UInt128 ExactDoubleLimit = (UInt128)1 << 53;

    /// <summary>Correctly rounded numerator / denominator.</summary>
    /// <exception cref="DivideByZeroException">denominator is zero.</exception>
    public static double ToDouble(Int128 numerator, Int128 denominator)
    {
        if (denominator == Int128.Zero)
        {
            throw new DivideByZeroException();
        }

        if (numerator == Int128.Zero)
        {
            return 0.0;
        }

        bool negative = (numerator < 0) != (denominator < 0);
        double magnitude = Divide(Magnitude(numerator), Magnitude(denominator));
        return negative ? -magnitude : magnitude;
    }

    /// <summary>Correctly rounded numerator / denominator for unsigned 128-bit operands.</summary>
    /// <exception cref="DivideByZeroException">denominator is zero.</exception>
    public static double ToDouble(UInt128 numerator, UInt128 denominator)
    {
        if (denominator == UInt128.Zero)
        {
            throw new DivideByZeroException();
        }

        return numerator == UInt128.Zero ? 0.0 : Divide(numerator, denominator);
    }

    /// <summary>Correctly rounded numerator / denominator for arbitrarily large integers.</summary>
    /// <exception cref="DivideByZeroException">denominator is zero.</exception>
    public static double ToDouble(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException();
        }

        if (numerator.IsZero)
        {
            return 0.0;
        }

        bool negative = (numerator.Sign < 0) != (denominator.Sign < 0);
        BigInteger p = BigInteger.Abs(numerator);
        BigInteger q = BigInteger.Abs(denominator);
        double magnitude;
        if (p.GetBitLength() <= 128 && q.GetBitLength() <= 128)
        {
            magnitude = Divide((UInt128)p, (UInt128)q);
        }
        else
        {
            magnitude = DivideBig(p, q);
        }

        return negative ? -magnitude : magnitude;
    }

    private static UInt128 Magnitude(Int128 value) =>
        value < 0 ? UInt128.Zero - unchecked((UInt128)value) : (UInt128)value;

    private static double Divide(UInt128 p, UInt128 q)
    {
        // Both operands exact as doubles: the hardware division is itself correctly rounded.
        if (p <= ExactDoubleLimit && q <= ExactDoubleLimit)
        {
            return (double)(ulong)p / (double)(ulong)q;
        }

        int a = 128 - (int)UInt128.LeadingZeroCount(p);
        int b = 128 - (int)UInt128.LeadingZeroCount(q);
        int shift = QuotientBits - (a - b);
        UInt128 quotient, remainder;
        if (shift >= 0)
        {
            if (a + shift > 128)
            {
                return DivideBig(p, q); // p << shift would not fit in 128 bits
            }

            (quotient, remainder) = UInt128.DivRem(p << shift, q);
        }
        else
        {
            // q << -shift has a - 56 <= 72 bits: always fits.
            (quotient, remainder) = UInt128.DivRem(p, q << -shift);
        }

        long mantissa = (long)(ulong)quotient | (remainder != UInt128.Zero ? 1L : 0L);
        return Math.ScaleB((double)mantissa, -shift); // the one rounding: 56-57 bits -> 53
    }

    private static double DivideBig(BigInteger p, BigInteger q)
    {
        long shift = QuotientBits - (p.GetBitLength() - q.GetBitLength());
        BigInteger quotient = shift >= 0
            ? BigInteger.DivRem(p << (int)shift, q, out BigInteger remainder)
            : BigInteger.DivRem(p, q << (int)-shift, out remainder);
        long mantissa = (long)quotient | (remainder.IsZero ? 0L : 1L);
        return Math.ScaleB((double)mantissa, (int)Math.Clamp(-shift, int.MinValue, int.MaxValue));
    }
}
